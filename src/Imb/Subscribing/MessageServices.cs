using Microsoft.Extensions.DependencyInjection;

namespace Imb.Subscribing;

/// <summary>
/// The services one message's handler sees: a DI scope of its own, created on the first request only, so a
/// delegate that needs no services costs no scope. One instance per handler slot, reused message after message.
/// </summary>
internal sealed class MessageServices(IServiceScopeFactory scopes) : IKeyedServiceProvider, ISupportRequiredService
{
    private AsyncServiceScope? _scope;

    /// <summary>Gets a value indicating whether the handler asked for a service, so there is a scope to end.</summary>
    public bool HasScope => _scope is not null;

    private IServiceProvider Scope => (_scope ??= scopes.CreateAsyncScope()).ServiceProvider;

    public object? GetService(Type serviceType) => Scope.GetService(serviceType);

    public object GetRequiredService(Type serviceType) => Scope.GetRequiredService(serviceType);

    public object? GetKeyedService(Type serviceType, object? serviceKey) => Scope.GetKeyedServices(serviceType, serviceKey).LastOrDefault();

    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) => Scope.GetRequiredKeyedService(serviceType, serviceKey);

    /// <summary>Disposes the message's scope, if one was created.</summary>
    public ValueTask EndAsync()
    {
        if (_scope is not { } scope)
        {
            return ValueTask.CompletedTask;
        }

        _scope = null;
        return scope.DisposeAsync();
    }
}
