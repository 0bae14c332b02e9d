// Small browser helpers the dashboard calls through JS interop.
window.blazorRedis = {
  // Remember the theme in a cookie, so the server prerenders the next page in it (no flash).
  setTheme: function (dark) {
    document.cookie = "br-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
  },
  // Remember presenter mode (its zoom in percent; 0 is off) in a cookie, like the theme.
  setPresenter: function (zoom) {
    document.cookie = zoom > 0
      ? "br-presenter=" + Math.round(zoom) + "; path=/; max-age=31536000; samesite=lax"
      : "br-presenter=; path=/; max-age=0; samesite=lax";
  },
  // While the class is paused, the page behind the dialog takes no focus, clicks or reading.
  setInert: function (on) {
    const root = document.querySelector(".br-root");
    if (root) {
      root.inert = !!on;
    }
  },
  // Copy text; falls back to a hidden textarea where the Clipboard API is not allowed (plain http on a LAN).
  copy: async function (text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (e) { /* fall through */ }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
};


// "Skip to content": a plain #fragment link would be resolved against <base href="/"> and take the learner to the
// home page, so move the focus (and the view) to <main> here instead. Capture phase: before Blazor's link handling.
document.addEventListener("click", function (e) {
  const link = e.target instanceof Element ? e.target.closest("a.br-skip-link") : null;
  const main = link ? document.getElementById("main-content") : null;
  if (!main) {
    return;
  }
  e.preventDefault();
  e.stopPropagation();
  main.focus({ preventScroll: true });
  main.scrollIntoView({ block: "start" });
}, true);
