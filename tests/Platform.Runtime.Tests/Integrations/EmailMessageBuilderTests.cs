using System.Text;
using System.Text.Json.Nodes;
using MimeKit;
using Platform.Runtime.Integrations;

namespace Platform.Runtime.Tests.Integrations;

/// <summary>The MIME message the e-mail channel sends for an outbox payload: recipients, HTML alternative, base64 attachments and their cap.</summary>
public sealed class EmailMessageBuilderTests
{
    private static OutboxMessage Message(JsonObject payload) => new(Guid.NewGuid(), "email", "test:1", payload, 1, null);

    [Fact]
    public void Build_SendsPlainText_WhenThePayloadHasOneAddressAndNoAttachments()
    {
        var mail = EmailMessageBuilder.Build(Message(new JsonObject { ["to"] = "a@example.com", ["subject"] = "待办", ["body"] = "请处理" }), "platform@example.com");

        Assert.Equal("a@example.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("请处理", Assert.IsType<TextPart>(mail.Body).Text);
        Assert.Equal("test.1@platform", mail.MessageId);
    }

    [Fact]
    public void Build_AddsTheHtmlAlternativeAndAttachments_WhenThePayloadHasThem()
    {
        var csv = Encoding.UTF8.GetBytes("原因,申请数\r\n质量问题,3\r\n");
        var mail = EmailMessageBuilder.Build(Message(new JsonObject
        {
            ["to"] = new JsonArray("a@example.com", "b@example.com"),
            ["subject"] = "报表",
            ["body"] = "见附件",
            ["html"] = "<p>见附件</p>",
            ["attachments"] = new JsonArray(new JsonObject { ["fileName"] = "退换货原因分布.csv", ["contentType"] = "text/csv; charset=utf-8", ["content"] = Convert.ToBase64String(csv) }),
        }), "platform@example.com");

        Assert.Equal(["a@example.com", "b@example.com"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("<p>见附件</p>", mail.HtmlBody);
        Assert.Equal("见附件", mail.TextBody);
        var part = Assert.IsAssignableFrom<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal("退换货原因分布.csv", part.FileName);
        Assert.Equal("text/csv", part.ContentType.MimeType);
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        Assert.Equal(csv, content.ToArray());
    }

    [Theory]
    [InlineData("size")]
    [InlineData("base64")]
    [InlineData("address")]
    public void Build_FailsPermanently_WhenThePayloadCannotBeSent(string mistake)
    {
        var attachment = new JsonObject
        {
            ["fileName"] = "big.bin",
            ["content"] = mistake switch
            {
                "size" => Convert.ToBase64String(new byte[EmailMessageBuilder.MaxAttachmentBytes + 1]),
                "base64" => "not base64!",
                _ => Convert.ToBase64String([1, 2, 3]),
            },
        };
        var payload = new JsonObject { ["to"] = mistake == "address" ? "not an address" : "a@example.com", ["subject"] = "x", ["body"] = "y", ["attachments"] = new JsonArray(attachment) };

        var e = Assert.Throws<OutboxDeliveryException>(() => EmailMessageBuilder.Build(Message(payload), "platform@example.com"));

        Assert.True(e.Permanent);
    }
}
