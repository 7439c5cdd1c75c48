namespace Linkis.Orleans.Cli.Models;

/// <summary>The data of an execution's <c>output</c> event.</summary>
public sealed record OutputPiece(string Stream, long Offset, string Text);
