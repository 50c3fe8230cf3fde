using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Platform.Runtime.Security;

/// <summary>Keeps data-protection keys in PostgreSQL so every node can read every node's cookies and tokens.</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var cmd = dataSource.CreateCommand("select xml from data_protection_keys order by id");
        using var reader = cmd.ExecuteReader();
        var list = new List<XElement>();
        while (reader.Read())
        {
            list.Add(XElement.Parse(reader.GetString(0)));
        }

        return list;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var cmd = dataSource.CreateCommand("insert into data_protection_keys (friendly_name, xml) values ($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        cmd.ExecuteNonQuery();
    }
}
