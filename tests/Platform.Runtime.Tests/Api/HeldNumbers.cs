using Npgsql;

namespace Platform.Runtime.Tests.Api;

/// <summary>A test transaction holding row locks on <c>number_sequences</c>: creates that take an auto-number wait on it.</summary>
internal sealed class HeldNumbers(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public Task CommitAsync() => transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
