using System.Text.Json.Nodes;
using MudBlazor;
using Platform.Designer.Services;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Tasks;

/// <summary>Opens the task dialog and tells the user how the action ended (someone acting first is a clear warning).</summary>
public static class TaskDialogs
{
    /// <summary>The result when the action was sent (whatever its outcome), null when the dialog was cancelled.</summary>
    public static async Task<TaskActionResult?> OpenAsync(IDialogService dialogs, ISnackbar snackbar, TaskOptionView option, string action, JsonObject? data = null, string? subject = null)
    {
        var parameters = new DialogParameters<TaskActionDialog>
        {
            { d => d.Option, option },
            { d => d.Action, action },
            { d => d.Data, data },
            { d => d.Subject, subject },
        };
        var reference = await dialogs.ShowAsync<TaskActionDialog>(string.Empty, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true });
        var closed = await reference.Result;
        if (closed is null || closed.Canceled || closed.Data is not TaskActionResult result)
        {
            return null;
        }

        Tell(snackbar, result, Done(action));
        return result;
    }

    /// <summary>A snackbar for the outcome of an action.</summary>
    public static void Tell(ISnackbar snackbar, TaskActionResult result, string done)
    {
        switch (result.Outcome)
        {
            case TaskActionOutcome.Ok:
                snackbar.Add(done, Severity.Success);
                break;
            case TaskActionOutcome.Conflict or TaskActionOutcome.NotFound:
                snackbar.Add(T("这个任务已被其他人处理或已关闭，页面已刷新。", "Someone else handled this task first; the view was refreshed.") + (result.Message is { } m ? $"（{m}）" : string.Empty), Severity.Warning);
                break;
            default:
                snackbar.Add(result.Message ?? T("操作未完成", "The action was refused"), Severity.Error);
                break;
        }
    }

    private static string Done(string action) => action switch
    {
        "approve" => T("已通过", "Approved"),
        "reject" => T("已驳回", "Rejected"),
        "transfer" => T("已转交", "Transferred"),
        "add-signer" => T("已加签", "Signer added"),
        _ => T("已评论", "Comment posted"),
    };
}
