using Platform.Core.Metadata;
using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>Checks a whole package before anything is written: definitions, then every seed row.</summary>
public sealed class PackageValidation
{
    public CheckedPackage Validate(AppPackage package, AppDefinition app, string by, DateTimeOffset now)
    {
        // Replaced by DefinitionValidator + RecordValidator as soon as they land.
        _ = package;
        _ = app;
        _ = by;
        _ = now;
        return new CheckedPackage([], []);
    }
}
