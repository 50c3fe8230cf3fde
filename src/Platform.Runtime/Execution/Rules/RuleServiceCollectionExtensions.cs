using Platform.Core.Rules;

namespace Platform.Runtime.Execution.Rules;

/// <summary>Registers the rule runner and one executor per action type of the Core registry.</summary>
public static class RuleServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformRules(this IServiceCollection services)
    {
        services.AddSingleton<RuleRecords>();
        services.AddSingleton<IRuleActionExecutor, SetFieldsExecutor>();
        services.AddSingleton<IRuleActionExecutor, CreateRecordExecutor>();
        services.AddSingleton<IRuleActionExecutor, UpdateRecordsExecutor>();
        services.AddSingleton<IRuleActionExecutor>(sp => new FlowStepExecutor(sp, "flow-approve"));
        services.AddSingleton<IRuleActionExecutor>(sp => new FlowStepExecutor(sp, "flow-reject"));
        services.AddSingleton<IRuleActionExecutor, AssignExecutor>();
        services.AddSingleton<IRuleActionExecutor, AdjustExecutor>();
        foreach (var type in new[] { "notify", "email", "sms" })
        {
            services.AddSingleton<IRuleActionExecutor>(sp => new MessageExecutor(sp.GetRequiredService<RuleRecords>(), sp.GetRequiredService<RuleEngine>(), type));
        }

        services.AddSingleton<IRuleActionExecutor>(_ => new OutboundExecutor("robot"));
        services.AddSingleton<IRuleActionExecutor>(_ => new OutboundExecutor("webhook"));
        services.AddSingleton<RuleRunner>();
        services.AddSingleton<RuleTimers>();
        services.AddSingleton<RuleDryRun>();
        services.AddSingleton<RuleFiringLog>();
        return services;
    }
}
