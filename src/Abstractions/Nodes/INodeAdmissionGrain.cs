namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>
/// What admins decide about one node (key: node name), Nomad's <c>node eligibility</c> and <c>node drain</c>. Lives off
/// the node, so it can be set while the node is down, and is saved, so it survives any silo's restart.
/// </summary>
[Alias("Linkis.INodeAdmissionGrain")]
public interface INodeAdmissionGrain : IGrainWithStringKey
{
    [Alias("GetAdmission"), AlwaysInterleave]
    Task<NodeAdmission> GetAdmission();

    /// <summary>
    /// Stops (false) or resumes (true) new placements on the node; its running engines are not touched. Making a
    /// draining node eligible ends the drain.
    /// </summary>
    [Alias("SetEligibility")]
    Task<NodeAdmission> SetEligibility(bool eligible, string by);

    /// <summary>
    /// The node takes no new engines; its idle engines stop now, busy ones when their execution ends, and whatever is
    /// left at <paramref name="deadline"/> from now is stopped then.
    /// </summary>
    [Alias("Drain")]
    Task<NodeAdmission> Drain(TimeSpan deadline, string by);
}
