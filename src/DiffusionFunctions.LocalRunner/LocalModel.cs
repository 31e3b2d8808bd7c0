namespace DiffusionFunctions.LocalRunner;

/// <summary>One model of a several-model local run (<c>--models NAME=DIR,...</c>): its name in the API's list and its folder.</summary>
/// <param name="Name">The name requests give in <c>model</c>.</param>
/// <param name="Path">The model folder.</param>
internal sealed record LocalModel(string Name, string Path);
