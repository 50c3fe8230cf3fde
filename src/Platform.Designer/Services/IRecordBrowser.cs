using System.Security.Claims;
using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>What the runtime record screens need: app homes, record lists through the list API's query code, and record details with their flow.</summary>
public interface IRecordBrowser
{
    Task<AppDefinition?> AppAsync(string app, CancellationToken ct);

    Task<AppHomeView?> HomeAsync(string app, ClaimsPrincipal user, CancellationToken ct);

    Task<RecordListView> ListAsync(string app, string entity, RecordListQuery query, CancellationToken ct);

    Task<RecordDetailView?> DetailAsync(string app, string entity, Guid id, ClaimsPrincipal user, CancellationToken ct);
}
