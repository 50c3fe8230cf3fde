namespace Platform.Runtime.Tests.Security;

/// <summary>Tests that attack two runtime nodes sharing one database (<see cref="SecurityFixture"/>).</summary>
[CollectionDefinition("security")]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>;
