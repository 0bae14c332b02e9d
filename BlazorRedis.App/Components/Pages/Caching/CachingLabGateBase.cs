using BlazorRedis.App.Components.Shared;
using Microsoft.AspNetCore.Components.Rendering;

namespace BlazorRedis.App.Components.Pages.Caching;

/// <summary>
/// The lower half of <see cref="CachingLabPageBase"/>. It holds the renderer's <c>BuildRenderTree</c>, so a page that got
/// no lab shows why in place of its own markup: that markup reads the lab everywhere, and used to end in the error
/// boundary's "Something went wrong". <see cref="CachingLabPageBase"/> hands the page's markup back as
/// <see cref="BuildPageRenderTree"/>, so a <c>.razor</c> page that inherits it overrides its <c>BuildRenderTree</c> as usual.
/// </summary>
public abstract class CachingLabGateBase : TracedComponentBase
{
    /// <summary>Why this browser has no lab (every lab this instance may hold is in use); null while the page has one.</summary>
    protected string? LabRefusal { get; set; }

    protected sealed override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (LabRefusal is { } refusal)
        {
            builder.OpenComponent<LabsFullNote>(0);
            builder.AddComponentParameter(1, nameof(LabsFullNote.Message), refusal);
            builder.CloseComponent();
            return;
        }

        BuildPageRenderTree(builder);
    }

    /// <summary>The page's own markup, drawn while it has a lab.</summary>
    protected abstract void BuildPageRenderTree(RenderTreeBuilder builder);
}
