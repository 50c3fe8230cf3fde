using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Core.Flows.Runtime;

/// <summary>
/// Source-generated writer of a <see cref="FlowInstance"/>'s stored state, with the shape <see cref="Metadata.MetadataJson.Options"/>
/// gives it (camelCase, nulls left out), so those options read what it writes. Every task action serialises its instance, and the
/// generated straight-line writer costs a fraction of the reflection-driven one. Strings are written with the default
/// encoder (non-ASCII as <c>\u</c> escapes, the price of the generated fast path, which takes no custom encoder): the state goes
/// only to a <c>jsonb</c> column, which stores the decoded text.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(FlowInstance))]
public sealed partial class FlowStateJson : JsonSerializerContext;
