using Npgsql;
using NpgsqlTypes;

namespace Platform.Runtime.Persistence;

/// <summary>Adds positional parameters to a command and returns their placeholders (<c>$1</c>, <c>$2</c> …).</summary>
public sealed class ParameterList(NpgsqlParameterCollection parameters)
{
    public ParameterList(NpgsqlCommand command)
        : this(command.Parameters)
    {
    }

    public ParameterList(NpgsqlBatchCommand command)
        : this(command.Parameters)
    {
    }

    public string Add(object value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value };
        if (type is { } t)
        {
            parameter.NpgsqlDbType = t;
        }

        parameters.Add(parameter);
        return "$" + parameters.Count;
    }
}
