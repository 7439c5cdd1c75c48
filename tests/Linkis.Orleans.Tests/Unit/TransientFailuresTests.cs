using System.Net.Sockets;
using Linkis.Orleans.Abstractions;
using Npgsql;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>What a client is told of a transient failure names its real cause, however deep the cause is wrapped.</summary>
public sealed class TransientFailuresTests
{
    [Fact]
    public void A_storage_call_that_failed_on_its_socket_is_the_database_being_out_of_reach()
    {
        var wrapped = new OrleansException("write failed", new NpgsqlException("Exception while connecting", new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(TransientFailures.IsTransient(wrapped));
        Assert.Equal("the state storage (database) is out of reach", TransientFailures.Describe(wrapped));
    }

    [Fact]
    public void A_socket_failure_with_no_database_in_the_chain_is_a_connection_of_the_cluster()
    {
        var wrapped = new OrleansException("call failed", new SocketException((int)SocketError.ConnectionReset));
        Assert.Equal("a connection inside the cluster failed", TransientFailures.Describe(wrapped));
    }
}
