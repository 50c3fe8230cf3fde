namespace Platform.Runtime.Tests.Infrastructure;

[CollectionDefinition("platform")]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>;
