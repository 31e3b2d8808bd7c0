namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Whether a <c>word</c> or <c>phrase</c> term also matches when written joined to other letters (the document's
/// optional <c>joined</c> field). Whole-word matching keeps innocent words that merely contain a term ("Scunthorpe")
/// out; joining is opened deliberately, per term, only where the term's joined forms are bypasses ("neonazi",
/// "massshooting"), and a term's <c>except</c> list names the innocent words that contain it ("ashkenazi").
/// </summary>
public enum PromptPolicyJoining
{
    /// <summary><c>none</c> (the default): whole words only.</summary>
    None,

    /// <summary><c>words</c>, phrases only: the phrase's words may also be written together ("massshooting", "childabuse"), as one whole word.</summary>
    Words,

    /// <summary><c>before</c>: other letters may come before the term in the same word ("neonazi").</summary>
    Before,

    /// <summary><c>after</c>: other letters may follow the term in the same word ("nazism").</summary>
    After,

    /// <summary><c>both</c>: letters may come before, after or on both sides ("neonazism").</summary>
    Both,
}
