using Platform.Runtime.Execution.Reports;
using Platform.Core.Flows;
using Platform.Core.Flows.Steps;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Core.Rules;
using Platform.Core.Rules.Actions;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Customers;
using Platform.Runtime.Execution.Exports;
using Platform.Runtime.Execution.Rules;
using Platform.Runtime.Hosting.DemoData;
using Platform.Runtime.Integrations;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;
using Platform.Runtime.Ui;

namespace Platform.Runtime.Hosting;

/// <summary>Registers everything the runtime needs; the one place that knows how it is put together.</summary>
public static class PlatformBuilderExtensions
{
    public static async Task<WebApplicationBuilder> AddPlatformAsync(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Platform").Get<PlatformSettings>() ?? new PlatformSettings();
        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var (mode, cluster) = await LocalDatabase.ResolveAsync(builder.Configuration, settings, loggerFactory.CreateLogger("Platform.Hosting"), CancellationToken.None);

        // Run from a build (not a publish) in any environment, the Razor libraries' files (_framework/blazor.web.js,
        // _content/…) come from the build's static web assets manifest; a published app has no manifest and this does nothing.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(mode);
        if (cluster is not null)
        {
            services.AddSingleton(cluster);
            services.AddHostedService<LocalClusterLifetime>();
        }

        // The hot write path sends the same few statement shapes over and over: let Npgsql prepare them.
        var connection = new NpgsqlConnectionStringBuilder(mode.ConnectionString);
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = 64;
            connection.AutoPrepareMinUsages = 2;
        }

        // The platform leaves no session state on a pooled connection (transaction-scoped locks and settings only; the
        // migrator releases its session lock itself), so the reset Npgsql sends with the next command after every return
        // to the pool (RESET ALL, DISCARD … : seven statements) is pure cost, once or twice per request.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = mode.ConnectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            connection.NoResetOnClose = true;
        }

        // No TransactionScope anywhere (every transaction is an explicit or implicit one on its connection): opening a
        // connection need not look for an ambient System.Transactions transaction to enlist in.
        if (!given.ContainsKey("Enlist"))
        {
            connection.Enlist = false;
        }

        var dataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
        services.AddSingleton(dataSource);
        services.AddSingleton(FlowWriterDataSource.Create(connection));

        // Before the host starts: data protection and every service expect the schema to be there.
        await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
        services.AddPooledDbContextFactory<PlatformDbContext>(o => o
            .UseNpgsql(dataSource)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ExpressionLimits { TimeoutMs = settings.ExpressionTimeoutMs });
        services.AddSingleton<IExpressionEngine>(sp => new JintExpressionEngine(sp.GetRequiredService<ExpressionLimits>()));
        services.AddSingleton(FieldTypeRegistry.CreateDefault());
        services.AddSingleton<RecordValidator>();
        services.AddSingleton<DefinitionValidator>();
        services.AddSingleton(FlowStepRegistry.CreateDefault());
        services.AddSingleton<FlowInterpreter>();
        services.AddSingleton<FlowValidator>();
        services.AddSingleton(RuleActionRegistry.CreateDefault());
        services.AddSingleton<RuleEngine>();
        services.AddSingleton<RuleValidator>();
        services.AddPlatformRules();
        services.AddPlatformReports();

        services.AddSingleton<RecordStore>();
        services.AddSingleton<RecordCreateQueue>();
        services.AddSingleton<RecordExporter>();
        services.AddSingleton<FieldIndexManager>();
        services.AddSingleton<AppCatalog>();
        services.AddSingleton<RecordValidation>();
        services.AddSingleton<RecordService>();
        services.AddSingleton<Execution.Access.OrganisationCache>();
        services.AddSingleton<Execution.Access.RecordAccess>();
        services.AddSingleton<Execution.Access.FileReadAccess>();
        services.AddSingleton<FlowStore>();
        services.AddSingleton<FlowWriteQueue>();
        services.AddSingleton<FlowReadQueue>();
        services.AddSingleton<FlowInstanceCache>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<TrackingLookup>();
        services.AddPlatformCustomers(settings);
        services.AddSingleton<FlowCatalog>();
        services.AddSingleton<CalendarCatalog>();
        services.AddSingleton<FlowDirectoryCache>();
        services.AddSingleton<Execution.Organisation.OrganisationWriter>();
        services.AddSingleton<Execution.Organisation.NewPasswordCheck>();
        services.AddSingleton<Execution.Organisation.UserAdministration>();
        services.AddSingleton<Execution.Organisation.DepartmentAdministration>();
        services.AddSingleton<Execution.Organisation.RoleAdministration>();
        services.AddSingleton<FlowService>();
        services.AddSingleton<Execution.Mobile.MobileJobs>();
        services.AddSingleton<FlowTimerWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<FlowTimerWorker>());
        services.AddPlatformOutbound(settings);
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<PackageValidation>();
        services.AddSingleton<AppImporter>();
        services.AddSingleton<Execution.Aggregates.RecordAggregates>();
        services.AddSingleton<DraftStore>();
        services.AddSingleton<TemplateLibrary>();
        services.AddSingleton<AppCreator>();
        services.AddSingleton<Platform.Runtime.Execution.Files.FileStore>();
        services.AddSingleton<Platform.Runtime.Execution.PublicForms.PublicFormLinks>();
        services.AddSingleton<Platform.Runtime.Execution.PublicForms.RecordFormLinks>();
        services.AddSingleton<Platform.Runtime.Execution.PublicForms.PublicFormService>();
        services.AddSingleton<Platform.Runtime.Execution.Printing.PrintService>();
        services.AddSingleton<DemoFlowRunner>();
        services.AddSingleton<DemoDataLoader>();
        services.AddSingleton<Readiness>();
        services.AddHostedService<PlatformInitializer>();

        services.AddPlatformSecurity(settings);
        services.AddPlatformForwardedHeaders(settings);
        services.AddSingleton(new SecurityHeaders(settings));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddPlatformInbound(settings);
        services.AddPlatformUi();
        services.AddPlatformForwardedHeaders(settings);
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddProblemDetails();
        services.AddOpenApi();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        return builder;
    }
}
