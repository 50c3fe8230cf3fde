namespace Platform.Core.Flows.Runtime;

/// <summary>Who holds roles and belongs to departments; the runtime gives the interpreter a snapshot.</summary>
public interface IFlowDirectory
{
    IReadOnlyList<string> UsersInRole(string role);

    /// <summary>Members of the department and of the departments below it.</summary>
    IReadOnlyList<string> UsersInDepartment(string department);
}
