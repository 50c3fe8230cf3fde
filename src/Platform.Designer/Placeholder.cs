namespace Platform.Designer; internal static class Placeholder {}
