namespace Platform.Templates; internal static class Placeholder {}
