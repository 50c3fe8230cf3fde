using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Object;

namespace Platform.Core.Expressions;

/// <summary>Converts between System.Text.Json values and plain JavaScript values (no CLR objects ever reach a script).</summary>
internal static class JsonJs
{
    private const int MaxDepth = 32;

    public static JsValue ToJs(Engine engine, JsonNode? node, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            return JsValue.Null;
        }

        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonArray array:
                var items = new JsValue[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ToJs(engine, array[i], depth + 1);
                }

                return new JsArray(engine, items);
            case JsonObject obj:
                var result = new JsObject(engine);
                foreach (var (key, value) in obj)
                {
                    result.Set(key, ToJs(engine, value, depth + 1));
                }

                return result;
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => new JsString(value.GetValue<string>()),
                    JsonValueKind.Number => JsNumber.Create(ToDouble(value)),
                    JsonValueKind.True => JsBoolean.True,
                    JsonValueKind.False => JsBoolean.False,
                    _ => JsValue.Null,
                };
            default:
                return JsValue.Null;
        }
    }

    /// <summary>
    /// Whether the value would take more than <paramref name="bytes"/> once converted (two bytes a character, eight a
    /// number or flag); counting stops as soon as it is over, so a huge array is not walked to its end.
    /// </summary>
    public static bool Exceeds(JsValue value, long bytes)
    {
        var left = bytes;
        return !Fits(value, ref left, 0);
    }

    private static bool Fits(JsValue value, ref long left, int depth)
    {
        if (depth > MaxDepth)
        {
            return true;
        }

        if (value is JsString text)
        {
            left -= 2L * text.Length;
        }
        else if (value.IsArray())
        {
            var array = value.AsArray();
            for (uint i = 0; i < array.Length && left >= 0; i++)
            {
                left -= 8;
                if (!Fits(array.Get(i), ref left, depth + 1))
                {
                    return false;
                }
            }
        }
        else if (value is ObjectInstance obj && !value.IsCallable() && !value.IsDate())
        {
            foreach (var (key, descriptor) in obj.GetOwnProperties())
            {
                left -= 8 + (key.IsString() ? 2L * key.AsString().Length : 0);
                if (left < 0 || (descriptor.Enumerable && !Fits(obj.Get(key), ref left, depth + 1)))
                {
                    return false;
                }
            }
        }
        else
        {
            left -= 8;
        }

        return left >= 0;
    }

    public static JsonNode? ToJson(JsValue value, int depth = 0)
    {
        if (depth > MaxDepth || value.IsNull() || value.IsUndefined())
        {
            return null;
        }

        if (value.IsBoolean())
        {
            return JsonValue.Create(value.AsBoolean());
        }

        if (value.IsNumber())
        {
            var d = value.AsNumber();
            if (!double.IsFinite(d))
            {
                return null;
            }

            return d == Math.Floor(d) && Math.Abs(d) < 9_007_199_254_740_992d
                ? JsonValue.Create((long)d)
                : JsonValue.Create(d);
        }

        if (value.IsString())
        {
            return JsonValue.Create(value.AsString());
        }

        if (value.IsDate())
        {
            var date = value.AsDate();
            return date.DateValue is var ms && double.IsFinite(ms)
                ? JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds((long)ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
                : null;
        }

        if (value.IsArray())
        {
            var array = value.AsArray();
            var result = new JsonArray();
            for (uint i = 0; i < array.Length; i++)
            {
                result.Add(ToJson(array.Get(i), depth + 1));
            }

            return result;
        }

        if (value is ObjectInstance obj && !value.IsCallable())
        {
            var result = new JsonObject();
            foreach (var (key, descriptor) in obj.GetOwnProperties())
            {
                if (key.IsString() && descriptor.Enumerable)
                {
                    result[key.AsString()] = ToJson(obj.Get(key), depth + 1);
                }
            }

            return result;
        }

        return null;
    }

    private static double ToDouble(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
}
