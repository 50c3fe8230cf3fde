namespace Platform.Designer.Flows;

/// <summary>How the designer shows one step type: palette label, canvas shape (task, round, diamond), colour and icon.</summary>
public sealed record FlowStepKind(string Type, string Zh, string En, string Shape, string Color, string Icon, string HintZh, string HintEn);
