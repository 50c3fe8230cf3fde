namespace Platform.Runtime.Tests.Infrastructure;

/// <summary>Tests sharing one throwaway PostgreSQL cluster (<see cref="PostgresFixture"/>).</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
