using Platform.Runtime.Hosting;

namespace Platform.Runtime.Integrations;

/// <summary>Registers the outbound side: the guard and its allow-list, connectors, the SMS provider and the outbox channels.</summary>
public static class OutboundServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformOutbound(this IServiceCollection services, PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<OutboundAllowlist>();
        services.AddSingleton<OutboundHttpGuard>();
        services.AddSingleton<ConnectorStore>();
        services.AddSingleton<Persistence.OutboxStore>();
        if (string.Equals(settings.Sms.Provider, "http", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<ISmsSender, HttpSmsSender>();
        }
        else
        {
            services.AddSingleton<ISmsSender, LoggingSmsSender>();
        }

        services.AddSingleton<IOutboxChannel, EmailChannel>();
        services.AddSingleton<IOutboxChannel, WebhookChannel>();
        services.AddSingleton<IOutboxChannel, SmsChannel>();
        services.AddSingleton<IOutboxChannel, RobotChannel>();
        return services;
    }
}
