using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Designer.Components.FormDesign;

namespace Platform.Designer.Tests.Components.FormDesign;

public sealed class FormDesignModelTests
{
    private static EntityDefinition Ticket() => new()
    {
        Key = "ticket",
        Label = "工单",
        TitleField = "title",
        Fields =
        [
            new FieldDefinition { Key = "title", Type = "text" },
            new FieldDefinition { Key = "qty", Type = "number" },
            new FieldDefinition { Key = "note", Type = "textarea" },
        ],
        Form = new FormLayout { Sections = [new FormSection { Key = "basic", Columns = 2, Fields = ["title", "qty"] }] },
    };

    [Fact]
    public void From_PutsUnplacedFieldsInATrailingSection()
    {
        var model = FormDesignModel.From(Ticket());

        Assert.Equal(2, model.Sections.Count);
        Assert.Equal(["note"], model.Sections[1].Fields);
    }

    [Fact]
    public void AddField_GivesTheTypeAFreeKey_AtTheDropIndex()
    {
        var model = FormDesignModel.From(Ticket());

        var first = model.AddField("multi-select", "basic", 1);
        var second = model.AddField("multi-select", "basic", 0);

        Assert.Equal("multi_select_1", first.Key);
        Assert.Equal("multi_select_2", second.Key);
        Assert.Equal(["multi_select_2", "title", "multi_select_1", "qty"], model.Sections[0].Fields);
        Assert.NotEmpty(first.Options!);
    }

    [Fact]
    public void Move_CountsTheIndexBeforeTheMove_WithinASection()
    {
        var model = FormDesignModel.From(Ticket());

        model.Move("title", "basic", 2);

        Assert.Equal(["qty", "title"], model.Sections[0].Fields);
    }

    [Fact]
    public void Move_TakesAFieldToAnotherSection()
    {
        var model = FormDesignModel.From(Ticket());
        var other = model.Sections[1].Key;

        model.Move("title", other, 0);

        Assert.Equal(["qty"], model.Sections[0].Fields);
        Assert.Equal(["title", "note"], model.Sections[1].Fields);
        Assert.Equal(["qty", "title", "note"], model.ToEntity().Fields.Select(f => f.Key));
    }

    [Theory]
    [InlineData("Title", "snake_case")]
    [InlineData("qty", "已被使用")]
    [InlineData("id", "保留字")]
    [InlineData("", "不能为空")]
    public void RenameField_RefusesBadKeys_AndChangesNothing(string key, string message)
    {
        var model = FormDesignModel.From(Ticket());

        Assert.Contains(message, model.RenameField("title", key));
        Assert.NotNull(model.Find("title"));
    }

    [Fact]
    public void RenameField_RenamesItInTheLayoutAndTitleField()
    {
        var model = FormDesignModel.From(Ticket());

        Assert.Null(model.RenameField("title", "subject"));

        var entity = model.ToEntity();
        Assert.Equal("subject", entity.TitleField);
        Assert.Equal(["subject", "qty"], entity.Form!.Sections[0].Fields);
        Assert.Null(entity.FindField("title"));
    }

    [Fact]
    public void RemoveSection_MovesItsFieldsToThePreviousSection_ButKeepsTheLast()
    {
        var model = FormDesignModel.New("visit");
        model.AddField("text", "basic", 0);
        var added = model.AddSection();
        model.AddField("number", added.Key, 0);

        Assert.Null(model.RemoveSection(added.Key));
        Assert.Equal(["text_1", "number_1"], model.Sections[0].Fields);
        Assert.NotNull(model.RemoveSection("basic"));
    }

    [Fact]
    public void Locate_FindsTheFieldOrSectionOfAProblemPath()
    {
        var entity = FormDesignModel.From(Ticket()).ToEntity();

        Assert.Equal(("qty", null), FormDesignModel.Locate(entity, "$.fields[1].max"));
        Assert.Equal((null, "basic"), FormDesignModel.Locate(entity, "$.form.sections[0].columns"));
        Assert.Equal(("qty", "basic"), FormDesignModel.Locate(entity, "$.form.sections[0].fields[1]"));
        Assert.Equal((null, null), FormDesignModel.Locate(entity, "$.flows[0].steps"));
    }

    [Fact]
    public void NewFields_PassTheirTypesOwnChecks_ForEveryRegisteredType()
    {
        var registry = FieldTypeRegistry.CreateDefault();
        foreach (var name in registry.Names.Where(n => n is not ("reference" or "lookup" or "aggregate")))
        {
            var field = FieldPalette.NewField(name, "f");
            Assert.True(!registry.Get(name).CheckDefinition(field).Any(), name);
            Assert.NotEqual(name, FieldPalette.Info(name).Label);
        }
    }
}
