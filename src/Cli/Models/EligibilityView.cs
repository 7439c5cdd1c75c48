namespace Linkis.Orleans.Cli.Models;

/// <summary>The answer of a drain or an eligibility change: whether the node takes new engines, and its drain.</summary>
public sealed record EligibilityView(bool Eligible, DrainView? Drain);
