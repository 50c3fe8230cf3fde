namespace Platform.Core; internal static class Placeholder {}
