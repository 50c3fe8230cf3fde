namespace Platform.Runtime.Execution.Imports;

/// <summary>What an import does when some rows are bad.</summary>
public enum ImportMode
{
    /// <summary>Import the valid rows and report the bad ones.</summary>
    ValidRows,

    /// <summary>Any bad row: write nothing.</summary>
    AllOrNothing,
}
