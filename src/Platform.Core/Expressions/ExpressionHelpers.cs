namespace Platform.Core.Expressions;

/// <summary>The helper library every expression sees, defined once per pooled engine and then frozen.</summary>
internal static class ExpressionHelpers
{
    /// <summary>Helper and built-in names that are never treated as record variables.</summary>
    public static readonly IReadOnlySet<string> GlobalNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "today", "now", "daysBetween", "hoursBetween", "addDays", "sum", "count", "round", "isMobile", "isEmail",
        "isEmpty", "len", "contains", "coalesce", "year", "month", "__day", "__ms",
        "Math", "JSON", "Number", "String", "Boolean", "Array", "Object", "Date", "RegExp", "parseInt", "parseFloat",
        "isNaN", "isFinite", "undefined", "NaN", "Infinity", "globalThis", "Error", "TypeError", "RangeError",
        "eval", "Function", "Symbol", "Map", "Set", "Promise", "Reflect", "Proxy", "BigInt", "encodeURIComponent", "decodeURIComponent",
    };

    /// <summary>
    /// JavaScript prelude. Dates are business dates in China Standard Time (UTC+8); values may be
    /// <c>yyyy-MM-dd</c> strings or ISO date-times. <c>today()</c> and <c>now()</c> are native (they read the run's clock).
    /// </summary>
    public const string Prelude = """
        "use strict";
        function __ms(v) {
          if (v === null || v === undefined || v === '') return null;
          var s = String(v);
          var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
          if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3]) - 28800000;
          var t = Date.parse(s);
          return isNaN(t) ? null : t;
        }
        function __day(v) { var t = __ms(v); return t === null ? null : Math.floor((t + 28800000) / 86400000); }
        function daysBetween(a, b) { var x = __day(a), y = __day(b); return x === null || y === null ? null : y - x; }
        function hoursBetween(a, b) { var x = __ms(a), y = __ms(b); return x === null || y === null ? null : (y - x) / 3600000; }
        function addDays(d, n) { var x = __day(d); if (x === null) return null; return new Date((x + Number(n)) * 86400000).toISOString().substring(0, 10); }
        function year(d) { var x = __day(d); return x === null ? null : new Date(x * 86400000).getUTCFullYear(); }
        function month(d) { var x = __day(d); return x === null ? null : new Date(x * 86400000).getUTCMonth() + 1; }
        function sum(rows, field) {
          if (!Array.isArray(rows)) return 0;
          var total = 0;
          for (var i = 0; i < rows.length; i++) {
            var v = field === undefined ? rows[i] : (rows[i] === null || rows[i] === undefined ? null : rows[i][field]);
            var n = typeof v === 'number' ? v : (typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
            if (!isNaN(n)) total += n;
          }
          return total;
        }
        function count(rows) { return Array.isArray(rows) ? rows.length : 0; }
        function round(x, digits) {
          if (x === null || x === undefined || x === '' || isNaN(Number(x))) return null;
          var d = digits === undefined ? 0 : digits, n = Number(x), sign = n < 0 ? -1 : 1;
          // Shift by exponent text, not by multiplying, so 1.005 rounds to 1.01 as a person expects.
          return sign * Number(Math.round(Number(Math.abs(n) + 'e' + d)) + 'e-' + d);
        }
        function isMobile(s) { return typeof s === 'string' && /^1\d{10}$/.test(s); }
        function isEmail(s) { return typeof s === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s); }
        function isEmpty(v) { return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0); }
        function len(v) { return v === null || v === undefined ? 0 : (typeof v === 'string' || Array.isArray(v) ? v.length : String(v).length); }
        function contains(haystack, needle) {
          if (haystack === null || haystack === undefined) return false;
          if (Array.isArray(haystack)) return haystack.indexOf(needle) >= 0;
          return String(haystack).indexOf(String(needle)) >= 0;
        }
        function coalesce() {
          for (var i = 0; i < arguments.length; i++) if (arguments[i] !== null && arguments[i] !== undefined && arguments[i] !== '') return arguments[i];
          return null;
        }
        """;

    /// <summary>Runs each helper once so the first real expression does not pay for JIT compilation.</summary>
    public const string WarmUp = """
        [daysBetween('2026-01-01', '2026-02-01'), hoursBetween('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'), addDays('2026-01-01', 3),
         sum([{ a: 1 }, { a: '2' }], 'a'), count([1]), round(1.005, 2), isMobile('13800000000'), isEmail('a@b.cn'), isEmpty(''),
         len('abc'), contains([1, 2], 2), coalesce(null, 1), year('2026-01-01'), month('2026-01-01'), today(), now(),
         (function (q, p) { return q * p > 500 && q <= 3 || 'x' === 'y'; })(2, 300.5)]
        """;

    /// <summary>Freezes the intrinsics and the global object so no expression can change what a later one sees.</summary>
    public const string Freeze = """
        "use strict";
        (function () {
          var names = Object.getOwnPropertyNames(globalThis);
          for (var i = 0; i < names.length; i++) {
            var v = globalThis[names[i]];
            if ((typeof v === 'function' || (typeof v === 'object' && v !== null))) {
              Object.freeze(v);
              if (v.prototype) Object.freeze(v.prototype);
            }
          }
          Object.freeze(Object.getPrototypeOf(function () {}));
          Object.freeze(Object.getPrototypeOf(() => {}));
          Object.freeze(Object.getPrototypeOf([][Symbol.iterator]()));
          Object.freeze(Object.getPrototypeOf(''[Symbol.iterator]()));
          Object.freeze(globalThis);
        })();
        """;
}
