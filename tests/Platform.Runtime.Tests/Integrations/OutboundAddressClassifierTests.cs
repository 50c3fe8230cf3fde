using System.Net;
using Platform.Runtime.Integrations;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>The pure address rules of the outbound guard: what counts as internal, in every spelling.</summary>
public sealed class OutboundAddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local/metadata")]
    [InlineData("[::1]", "loopback")]
    [InlineData("[::ffff:127.0.0.1]", "loopback")]
    [InlineData("0x7f000001", "loopback")]
    [InlineData("2130706433", "loopback")]
    [InlineData("0177.0.0.1", "loopback")]
    [InlineData("127.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("172.16.5.4", "private")]
    [InlineData("[fd00::1]", "private")]
    [InlineData("[64:ff9b::7f00:1]", "loopback")]
    [InlineData("[64:ff9b::a9fe:a9fe]", "metadata")]
    [InlineData("[::127.0.0.1]", "loopback")]
    [InlineData("[2002:7f00:1::]", "loopback")]
    [InlineData("[fe80::1]", "link-local")]
    [InlineData("[fd00:ec2::254]", "metadata")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("[::]", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("[ff02::1]", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("0x7f.1", "loopback")]
    [InlineData("127.0.0.1.", "loopback")]
    [InlineData("metadata.google.internal", "metadata")]
    [InlineData("0xA9FEA9FE", "metadata")]
    public void RefusalReason_NamesTheCategory_WhenHostIsInternal(string host, string category)
    {
        var reason = AddressClassifier.RefusalReason(host);
        Assert.NotNull(reason);
        Assert.StartsWith("refused: ", reason, StringComparison.Ordinal);
        Assert.Contains(category, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusalReason_IsTheDocumentedSentence_WhenHostIsTheMetadataAddress() =>
        Assert.Equal("refused: 169.254.169.254 is a link-local/metadata address", AddressClassifier.RefusalReason("169.254.169.254"));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("[2001:4860::8888]")]
    [InlineData("2001:4860::8888")]
    [InlineData("1.1.1.1")]
    [InlineData("[::ffff:8.8.8.8]")]
    [InlineData("example.com")]
    [InlineData("api.weixin.qq.com")]
    public void RefusalReason_IsNull_WhenHostIsPublicOrAName(string host) =>
        Assert.Null(AddressClassifier.RefusalReason(host));

    [Theory]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("08.1.1.1")]
    [InlineData("4294967296")]
    [InlineData("[::1")]
    public void RefusalReason_RefusesAsInvalid_WhenHostEndsInANumberButIsNoAddress(string host) =>
        Assert.Contains("not a valid host", AddressClassifier.RefusalReason(host), StringComparison.Ordinal);

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("10.1", "10.0.0.1")]
    [InlineData("192.168.257", "192.168.1.1")]
    [InlineData("0x8.0x8.0x8.0x8", "8.8.8.8")]
    [InlineData("4294967295", "255.255.255.255")]
    public void ParseNumericHost_ReadsInetAtonForms_WhenHostIsNumeric(string host, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), AddressClassifier.ParseNumericHost(host, out var malformed));
        Assert.False(malformed);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("2001:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Classify_IsNull_WhenAddressIsPublic(string address) =>
        Assert.Null(AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    public void IsMetadata_IsTrue_WhenAddressIsACloudMetadataEndpoint(string address) =>
        Assert.True(AddressClassifier.IsMetadata(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080, true)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8081, false)]
    [InlineData("127.0.0.1", "127.0.0.1", 9, true)]
    [InlineData("hooks.internal", "HOOKS.internal", 443, true)]
    [InlineData("[::1]:80", "[::1]", 80, true)]
    [InlineData("[::1]:80", "::1", 80, true)]
    [InlineData("127.0.0.1", "localhost", 80, false)]
    public void AllowlistEntry_Matches_ExactHostAndOptionalPort(string entry, string host, int port, bool expected)
    {
        Assert.True(AllowlistEntry.TryParse(entry, out var parsed, out _));
        Assert.Equal(expected, parsed!.Matches(host, port));
    }
}
