using Platform.Core.Metadata;
using Platform.Core.Metadata.Diff;

namespace Platform.Core.Tests.Metadata.Diff;

public sealed class EntityDiffTests
{
    private static FieldDefinition Field(string key, string type = "text") => new() { Key = key, Type = type, Label = key };

    private static EntityDefinition Entity(params FieldDefinition[] fields) => new()
    {
        Key = "ticket",
        Label = "工单",
        Fields = fields,
        Form = new FormLayout { Sections = [new FormSection { Key = "basic", Title = "基本信息", Columns = 2, Fields = fields.Select(f => f.Key).ToList() }] },
    };

    [Fact]
    public void Compare_ReportsNothing_WhenEntitiesAreEqual()
    {
        var entity = Entity(Field("a"), Field("b"));

        Assert.Empty(EntityDiff.Compare(entity, entity with { Fields = entity.Fields.ToList() }));
    }

    [Fact]
    public void Compare_ReportsEntityAddedWithItsFields_WhenThereIsNoPublishedVersion()
    {
        var changes = EntityDiff.Compare(null, Entity(Field("a"), Field("b", "number")));

        Assert.Equal(EntityChangeKind.EntityAdded, changes[0].Kind);
        Assert.Equal(["a", "b"], changes.Where(c => c.Kind == EntityChangeKind.FieldAdded).Select(c => c.Field));
    }

    [Fact]
    public void Compare_ReportsAddedAndRemovedFields_WithTheirTypes()
    {
        var before = Entity(Field("a"), Field("b"));
        var after = Entity(Field("a"), Field("c", "select"));

        var changes = EntityDiff.Compare(before, after);

        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldAdded, Field: "c", After: "select", Section: "basic" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldRemoved, Field: "b", Before: "text" });
        Assert.DoesNotContain(changes, c => c.Kind == EntityChangeKind.FieldMoved);
    }

    [Fact]
    public void Compare_ReportsChangedPropertiesWithOldAndNewValue()
    {
        var before = Entity(Field("a"), Field("b") with { MaxLength = 10 });
        var after = Entity(Field("a") with { Required = true }, Field("b") with { MaxLength = 20, Label = "名称" });

        var changes = EntityDiff.Compare(before, after);

        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldChanged, Field: "a", Property: "required", Before: "false", After: "true" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldChanged, Field: "b", Property: "maxLength", Before: "10", After: "20" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldChanged, Field: "b", Property: "label", Before: "\"b\"", After: "\"名称\"" });
        Assert.Equal(3, changes.Count);
    }

    [Fact]
    public void Compare_ReportsOnlyTheDraggedField_WhenOneFieldIsReordered()
    {
        var before = Entity(Field("a"), Field("b"), Field("c"), Field("d"));
        var after = before with { Form = new FormLayout { Sections = [before.Form!.Sections[0] with { Fields = ["a", "c", "d", "b"] }] } };

        var moved = EntityDiff.Compare(before, after).Where(c => c.Kind == EntityChangeKind.FieldMoved).Select(c => c.Field).ToList();

        Assert.Equal(["b"], moved);
    }

    [Fact]
    public void Compare_ReportsMoveBetweenSections_AndTheNewSection()
    {
        var before = Entity(Field("a"), Field("b"));
        var after = before with
        {
            Form = new FormLayout
            {
                Sections =
                [
                    new FormSection { Key = "basic", Title = "基本信息", Columns = 2, Fields = ["a"] },
                    new FormSection { Key = "more", Title = "更多", Columns = 1, Fields = ["b"] },
                ],
            },
        };

        var changes = EntityDiff.Compare(before, after);

        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.SectionAdded, Section: "more", After: "更多" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldMoved, Field: "b", Before: "basic", After: "more" });
        Assert.DoesNotContain(changes, c => c is { Kind: EntityChangeKind.FieldMoved, Field: "a" });
    }

    [Fact]
    public void Compare_ReportsSectionColumnsAndTitle_AndRemovedSection()
    {
        var before = Entity(Field("a")) with
        {
            Form = new FormLayout { Sections = [new FormSection { Key = "basic", Title = "基本信息", Columns = 2, Fields = ["a"] }, new FormSection { Key = "old", Title = "旧" }] },
        };
        var after = before with { Form = new FormLayout { Sections = [new FormSection { Key = "basic", Title = "基本", Columns = 3, Fields = ["a"] }] } };

        var changes = EntityDiff.Compare(before, after);

        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.SectionChanged, Section: "basic", Property: "columns", Before: "2", After: "3" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.SectionChanged, Section: "basic", Property: "title" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.SectionRemoved, Section: "old" });
    }

    [Fact]
    public void Compare_ReportsEntityLabelChange_AndOptionChanges()
    {
        var select = Field("s", "select") with { Options = [new FieldOption("a", "甲")] };
        var before = Entity(select);
        var after = Entity(select with { Options = [new FieldOption("a", "甲"), new FieldOption("b", "乙")] }) with { Label = "服务工单" };

        var changes = EntityDiff.Compare(before, after);

        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.EntityChanged, Property: "label", Before: "\"工单\"", After: "\"服务工单\"" });
        Assert.Contains(changes, c => c is { Kind: EntityChangeKind.FieldChanged, Field: "s", Property: "options" });
    }

    [Fact]
    public void Compare_TreatsExplicitFalseAsAbsent()
    {
        var before = Entity(Field("a"));
        var after = Entity(Field("a") with { Required = false, Unique = false });

        Assert.Empty(EntityDiff.Compare(before, after));
    }
}
