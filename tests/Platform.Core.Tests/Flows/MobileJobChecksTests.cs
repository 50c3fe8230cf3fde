using Platform.Core.Expressions;
using Platform.Core.Flows.Definitions;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Core.Tests.Flows;

/// <summary>The phone-view settings of flow steps, checked with the whole app (paths under the step's <c>mobile</c>).</summary>
public sealed class MobileJobChecksTests
{
    private static readonly DefinitionValidator Validator = new(FieldTypeRegistry.CreateDefault(), new JintExpressionEngine());

    private static (int Flow, int Step) Execute()
    {
        var flow = SampleApp.Definition.Flows.Select((f, i) => (f, i)).Single(x => x.f.Key == "service_flow");
        return (flow.i, flow.f.Steps.Select((s, i) => (s, i)).Single(x => x.s.Key == "execute").i);
    }

    private static IReadOnlyList<DefinitionProblem> ValidateWith(Func<FlowStep, FlowStep> change)
    {
        var (f, s) = Execute();
        var flows = SampleApp.Definition.Flows.ToList();
        var steps = flows[f].Steps.ToList();
        steps[s] = change(steps[s]);
        flows[f] = flows[f] with { Steps = steps };
        return Validator.Validate(SampleApp.Definition with { Flows = flows });
    }

    private static string Path(string at)
    {
        var (f, s) = Execute();
        return $"$.flows[{f}].steps[{s}].mobile.{at}";
    }

    [Fact]
    public void Validate_ReportsNothing_ForTheTemplatesExecuteStep()
    {
        var (f, s) = Execute();
        var mobile = SampleApp.Definition.Flows[f].Steps[s].Mobile;
        Assert.NotNull(mobile);
        Assert.Equal("customer_signature", mobile.Signature);
        Assert.Equal("part_usage", mobile.Parts!.Entity);
        Assert.Empty(Validator.Validate(SampleApp.Definition));
    }

    [Fact]
    public void Validate_RefusesASignatureNotRequiredAtTheStep()
    {
        var problem = Assert.Single(ValidateWith(step => step with { Fields = step.Fields! with { Required = [] } }));
        Assert.Equal(Path("signature"), problem.Path);
        Assert.Contains("required", problem.Message);
    }

    [Fact]
    public void Validate_RefusesAMobileStepWithoutSignature_AndWorkPhotosNotEditable()
    {
        var problems = ValidateWith(step => step with
        {
            Mobile = step.Mobile! with { Signature = null },
            Fields = step.Fields! with { Editable = ["description"] },
        });
        Assert.Equal([Path("signature"), Path("workPhotos")], problems.Select(p => p.Path).Order());
    }

    [Fact]
    public void Validate_NamesUnknownFieldsAndWrongTypes()
    {
        var problems = ValidateWith(step => step with
        {
            Mobile = step.Mobile! with
            {
                Address = "priority",
                Priority = "address",
                Phone = "no_such_field",
                Details = ["type", "teleporter"],
                Map = "google",
                Parts = step.Mobile.Parts! with { RecordField = "part", QuantityField = "service_request", PartDetails = ["stock", "colour"] },
            },
        });
        Assert.Equal(
            new[] { "address", "details[1]", "map", "parts.partDetails[1]", "parts.quantityField", "parts.recordField", "phone", "priority" }.Select(Path).Order(),
            problems.Select(p => p.Path).Order());
        Assert.Contains(problems, p => p.Path == Path("phone") && p.Message.Contains("no_such_field"));
    }

    [Fact]
    public void Validate_RefusesMobileSettingsOnAStepWithoutTasks()
    {
        var (f, _) = Execute();
        var flows = SampleApp.Definition.Flows.ToList();
        var steps = flows[f].Steps.ToList();
        var gateway = steps.FindIndex(s => s.Type == "gateway");
        steps[gateway] = steps[gateway] with { Mobile = new MobileJobSettings { Signature = "customer_signature" } };
        flows[f] = flows[f] with { Steps = steps };
        var problems = Validator.Validate(SampleApp.Definition with { Flows = flows });
        Assert.Contains(problems, p => p.Path == $"$.flows[{f}].steps[{gateway}].mobile" && p.Message.Contains("gateway"));
    }
}
