namespace Platform.Runtime.Hosting;

/// <summary>Set once migrations, the template and demo data are in place; <c>/healthz</c> reports it.</summary>
public sealed class Readiness
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => ready.Task.IsCompletedSuccessfully;

    public string? Failure { get; private set; }

    public Task WhenReady => ready.Task;

    public void MarkReady() => ready.TrySetResult();

    public void MarkFailed(Exception e)
    {
        Failure = e.Message;
        ready.TrySetException(e);
    }
}
