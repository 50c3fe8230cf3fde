using Platform.Core.Metadata;

namespace Platform.Templates;

/// <summary>Maps between the package format and the published <see cref="AppDefinition"/>.</summary>
public static class PackageMapper
{
    public static AppDefinition ToDefinition(AppPackage package, int version = 1) => new()
    {
        Key = package.App.Key,
        Name = package.App.Name,
        NameEn = package.App.NameEn,
        Description = package.App.Description,
        Icon = package.App.Icon,
        Version = version,
        Entities = package.Entities,
        Flows = package.Flows,
        Rules = package.Rules,
        Reports = package.Reports,
        Dashboards = package.Dashboards,
        PublicForms = package.PublicForms,
        PrintTemplates = package.PrintTemplates,
        CustomerPortal = package.CustomerPortal,
    };

    /// <summary>The package for an app definition (no seed; export never carries records).</summary>
    public static AppPackage ToPackage(AppDefinition app) => new()
    {
        App = new AppInfo { Key = app.Key, Name = app.Name, NameEn = app.NameEn, Description = app.Description, Icon = app.Icon },
        Entities = app.Entities,
        Flows = app.Flows,
        Rules = app.Rules,
        Reports = app.Reports,
        Dashboards = app.Dashboards,
        PublicForms = app.PublicForms,
        PrintTemplates = app.PrintTemplates,
        CustomerPortal = app.CustomerPortal,
    };
}
