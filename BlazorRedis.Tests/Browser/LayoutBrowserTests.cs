using System.Text;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>Every page fits its screen: a phone, a laptop and a projector; long input never widens a page.</summary>
public class LayoutBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>A pattern or a value with no place to break a line, as long as the pattern field allows.</summary>
    private static readonly string LongWord = string.Concat(Enumerable.Repeat("product:4711-", 16))[..200];

    private const string PageWidth = "() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })";

    /// <summary>
    /// Every visible button whose label is broken inside a word (a word's text range drawn on more than one line:
    /// "XRAN/GE"), or that sticks out of the card it sits in (unless a box between them scrolls); each named by its test
    /// id or its text.
    /// </summary>
    private const string BadButtons = """
        () => {
          const bad = [];
          for (const b of document.querySelectorAll('button, a.mud-button-root, [role=button]')) {
            if (!b.checkVisibility()) continue;
            const name = b.dataset.testid ?? b.textContent.trim().slice(0, 30);
        """ + BrokenWords + """
            // Out of the card's sight is fine inside a box that scrolls (a wide table): only a button that overflows counts.
            const card = b.parentElement?.closest('.mud-paper, .mud-card, .mud-alert');
            let scrolls = false;
            for (let e = b.parentElement; e && e !== card; e = e.parentElement) {
              scrolls ||= ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
            }
            if (card && !scrolls) {
              const c = card.getBoundingClientRect(), r = b.getBoundingClientRect();
              if (r.right > c.right + 1 || r.left < c.left - 1) bad.push(`${name}: sticks out of its card by ${Math.round(Math.max(r.right - c.right, c.left - r.left))} px`);
            }
          }
          return bad;
        }
        """;

    /// <summary>Every visible table heading with a word broken over lines ("Pri/ce"), named by its text.</summary>
    private const string BadHeadings = """
        () => {
          const bad = [];
          for (const b of document.querySelectorAll('th')) {
            if (!b.checkVisibility()) continue;
            const name = 'heading ' + b.textContent.trim().slice(0, 30);
        """ + BrokenWords + """
          }
          return bad;
        }
        """;

    /// <summary>The loop body both checks share: each word of element b drawn on more than one line goes into bad.</summary>
    private const string BrokenWords = """
            const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              for (const m of n.data.matchAll(/\S+/g)) {
                const word = document.createRange();
                word.setStart(n, m.index);
                word.setEnd(n, m.index + m[0].length);
                const lines = new Set([...word.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) bad.push(`${name}: "${m[0]}" broken over ${lines.size} lines`);
              }
            }
        """;

    // A lesson's Markdown table widened the whole page on a phone (/course/running-redis was 427 px on 390): a wide table
    // or code block scrolls in its own box, which the keyboard can reach.
    [Fact]
    public async Task Every_lesson_on_a_phone_is_no_wider_than_the_screen_and_its_wide_tables_and_code_scroll_in_a_focusable_box()
    {
        var page = await browser.OpenAsync("/", 390, 844);
        var report = new StringBuilder();
        foreach (var path in AppPages.LessonPaths(browser.App))
        {
            await AppPages.GoAsync(page, path);
            await page.Locator("[data-testid=lesson]").WaitForAsync();
            var size = await page.EvaluateAsync<PageSize>(PageWidth);
            if (size.Scroll > size.Inner)
            {
                report.AppendLine($"{path}: {size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
            }

            foreach (var box in await page.EvaluateAsync<string[]>(ScrollingBoxesOutOfReach))
            {
                report.AppendLine($"{path}: {box}");
            }
        }

        Assert.True(report.Length == 0, report.ToString());
        await page.Context.CloseAsync();
    }

    /// <summary>Every box in the lesson that scrolls sideways but takes no focus, named by its tag and first words.</summary>
    private const string ScrollingBoxesOutOfReach = """
        () => [...document.querySelectorAll('[data-testid=lesson] *')]
          .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.tabIndex < 0)
          .map(e => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}" scrolls but takes no focus`)
        """;

    /// <summary>
    /// One pass over every page per screen: it is no wider than the screen, and a full-page screenshot is kept
    /// (bin/…/screenshots/WxH/) for a person to look over.
    /// </summary>
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    public async Task Every_page_fits_the_screen_and_is_photographed(int width, int height)
    {
        var folder = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{width}x{height}");
        Directory.CreateDirectory(folder);
        var page = await browser.OpenAsync("/", width, height);
        var report = new StringBuilder();
        foreach (var path in await AllPathsAsync(page))
        {
            await AppPages.GoAsync(page, path);
            await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
            var size = await page.EvaluateAsync<PageSize>(PageWidth);
            if (size.Scroll > size.Inner)
            {
                report.AppendLine($"{path}: {size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
            }

            foreach (var button in await page.EvaluateAsync<string[]>(BadButtons))
            {
                report.AppendLine($"{path}: {button}");
            }

            var file = Path.Combine(folder, (path.Trim('/').Replace('/', '-') is { Length: > 0 } name ? name : "home") + ".png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            if (new FileInfo(file).Length <= 5_000)
            {
                report.AppendLine($"{path}: the screenshot is blank ({file})");
            }
        }

        Assert.True(report.Length == 0, report.ToString());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 720)]
    public async Task A_200_character_pattern_without_spaces_does_not_widen_the_invalidation_page(int width, int height)
    {
        var page = await browser.OpenAsTeacherAsync("/caching/invalidation", width, height);

        await page.Locator("input[data-testid=pattern]").FillAsync(LongWord);
        await page.Locator("[data-testid=by-pattern]").ClickAsync();
        await AssertEchoedWithinTheScreenAsync(page);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 720)]
    public async Task A_200_character_value_without_spaces_does_not_widen_the_strings_demo(int width, int height)
    {
        var page = await browser.OpenAsync(await DemoPathAsync("strings"), width, height);

        await page.Locator("input[data-testid=key-name]").FillAsync("long");
        await page.Locator("input[data-testid=key-value]").FillAsync(LongWord);
        await page.Locator("[data-testid=set]").ClickAsync();
        await AssertEchoedWithinTheScreenAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_theme_toggle_is_on_screen()
    {
        var page = await browser.OpenAsync("/rate-limiting", 390, 844);
        await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();

        var toggle = page.Locator("[data-testid=theme-toggle]");
        await Expect(toggle).ToBeInViewportAsync(new() { Ratio = 1 });
        await toggle.ClickAsync();
        await Expect(page.Locator("[data-theme=dark]")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/caching")]
    [InlineData("/sessions")]
    public async Task At_1280_by_720_live_metrics_is_in_the_menu_without_scrolling(string path)
    {
        var page = await browser.OpenAsync(path, 1280, 720);
        var metrics = page.Locator("[data-testid=nav] a[href='/metrics']");

        await Expect(metrics).ToBeInViewportAsync(new() { Ratio = 1 });
        // In the viewport is not enough when the drawer itself clips it: the link must be what is drawn there.
        Assert.True(await metrics.EvaluateAsync<bool>("""
            a => { const r = a.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return a.contains(hit); }
            """), "Live metrics is hidden below the fold of the menu");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_1280_by_720_live_metrics_stays_in_view_with_both_groups_open()
    {
        var page = await browser.OpenAsync("/caching", 1280, 720);
        await page.Locator("[data-testid=nav] button[aria-label='Toggle Data structures']").ClickAsync();
        await Expect(page.Locator("[data-testid=nav] a[href='/data-structures/streams']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=nav] a[href='/caching/load']")).ToBeVisibleAsync();

        var metrics = page.Locator("[data-testid=nav] a[href='/metrics']");
        await Expect(metrics).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.True(await metrics.EvaluateAsync<bool>("""
            a => { const r = a.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return a.contains(hit); }
            """), "Live metrics is hidden below the fold of the menu");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_1280_by_720_live_metrics_is_in_the_menu_on_a_demo_page()
    {
        var page = await browser.OpenAsync(await DemoPathAsync("streams"), 1280, 720);

        await Expect(page.Locator("[data-testid=nav] a[href='/metrics']")).ToBeInViewportAsync(new() { Ratio = 1 });
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// On a projector (presenter mode, zoomed) every page fits the screen, and no button or table heading breaks a word
    /// nor a button leaves its card. Zoomed 175 % on a 1280-wide screen the page has the room of 731 px, and the grid
    /// follows that room, not the window's 1280: /metrics laid its last-second table out in a 5/12 column there, 18 px
    /// past the screen with "Path" one letter a line.
    /// </summary>
    [Theory]
    [InlineData(1280, 720, 175)]
    [InlineData(1920, 1080, 175)]
    public async Task In_presenter_mode_every_page_fits_and_no_button_or_heading_breaks_inside_a_word(int width, int height, int zoom)
    {
        var page = await browser.OpenAsync("/", width, height);
        var paths = await AllPathsAsync(page);
        await PresentAsync(page, zoom);
        var report = new StringBuilder();
        foreach (var path in paths)
        {
            await AppPages.GoAsync(page, path);
            await Expect(page.Locator($"[data-presenter='{zoom}']")).ToBeVisibleAsync();
            foreach (var bad in (await page.EvaluateAsync<string[]>(BadButtons)).Concat(await page.EvaluateAsync<string[]>(BadHeadings)))
            {
                report.AppendLine($"{path}: {bad}");
            }

            var size = await page.EvaluateAsync<PageSize>(PageWidth);
            if (size.Scroll > size.Inner)
            {
                report.AppendLine($"{path}: {size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
            }
        }

        Assert.True(report.Length == 0, report.ToString());
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Logged in, the sessions page shows "Log in again" beside the name field and "Refresh" beside a heading as long as
    /// the name: on a phone and on a projector each keeps its words, and the page stays within the screen.
    /// </summary>
    [Theory]
    [InlineData(390, 844, 0)]
    [InlineData(1280, 720, 175)]
    [InlineData(1920, 1080, 175)]
    public async Task The_sessions_buttons_keep_their_words_after_logging_in(int width, int height, int zoom)
    {
        var page = await browser.NewPageAsync(width, height);
        await PresentAsync(page, zoom);
        await AppPages.GoAsync(page, "/sessions");
        await page.GetByTestId("login").ClickAsync();
        await Expect(page.GetByTestId("login")).ToHaveTextAsync("Log in again", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);

        await AssertButtonsWholeWithinTheScreenAsync(page);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(390, 844, 0)]
    [InlineData(1280, 720, 175)]
    public async Task The_streams_buttons_keep_their_words_and_the_page_its_width(int width, int height, int zoom)
    {
        var path = await DemoPathAsync("streams");
        var page = await browser.NewPageAsync(width, height);
        await PresentAsync(page, zoom);
        await AppPages.GoAsync(page, path);
        await Expect(page.GetByTestId("xrange")).ToBeVisibleAsync();

        await AssertButtonsWholeWithinTheScreenAsync(page);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The review's case: at presenter 150 % on a 1280-wide screen an EVALSHA was drawn about 7 characters wide. Its
    /// column now takes most of the table and at least 32 of its characters; what does not fit scrolls in the trace's own
    /// box, and the page keeps its width.
    /// </summary>
    [Theory]
    [InlineData(1280, 720, 150)]
    [InlineData(1920, 1080, 175)]
    public async Task In_presenter_mode_the_trace_command_takes_most_of_the_width_and_32_characters(int width, int height, int zoom)
    {
        var page = await browser.NewPageAsync(width, height);
        await PresentAsync(page, zoom);
        await AppPages.GoAsync(page, "/rate-limiting");
        await page.Locator("[data-testid=fire-burst]").ClickAsync();
        var command = page.Locator("[data-testid=trace-row] code.br-cmd", new() { HasTextString = "EVALSHA" }).First;
        await Expect(command).ToBeVisibleAsync();

        var measured = await command.EvaluateAsync<TraceCommandWidth>("""
            code => {
              const cell = code.closest('td'), table = cell.closest('table');
              const probe = document.createElement('span');
              probe.style.cssText = 'position: absolute; visibility: hidden; white-space: pre; font: inherit';
              probe.textContent = '0'.repeat(32);
              code.appendChild(probe);
              const chars32 = probe.getBoundingClientRect().width;
              probe.remove();
              const widest = Math.max(...[...cell.parentElement.children].map(td => td.getBoundingClientRect().width));
              return { cell: cell.getBoundingClientRect().width, table: table.getBoundingClientRect().width, code: code.getBoundingClientRect().width, chars32, widest };
            }
            """);
        // At these zooms 32 characters of the command are most of the trace's box, so the table is at its narrowest and
        // scrolls: the command is then the widest column by far, at least 45 % of the table (it was 168 of 791 px).
        Assert.True(measured.Cell >= 0.45 * measured.Table && measured.Cell >= measured.Widest, $"the command column is {measured.Cell:0} px of a {measured.Table:0} px table; the widest column is {measured.Widest:0} px");
        Assert.True(measured.Code >= measured.Chars32 - 1, $"the command is {measured.Code:0} px wide, less than 32 of its characters ({measured.Chars32:0} px)");
        var size = await page.EvaluateAsync<PageSize>(PageWidth);
        Assert.True(size.Scroll <= size.Inner, $"{size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
        // What does not fit scrolls inside the trace's box, which the keyboard can reach.
        var box = page.Locator("[data-testid=trace-table]");
        await Expect(box).ToHaveAttributeAsync("tabindex", "0");
        Assert.True(await box.EvaluateAsync<bool>("b => getComputedStyle(b).overflowX === 'auto' && b.getBoundingClientRect().right <= window.innerWidth"));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A lab in a lesson has half the content's width on a laptop: its trace's five columns left the command of the rate
    /// limiter's EVALSHA ten characters a line. A trace narrower than 600 px lays each command out on a row of its own,
    /// whatever the screen's width.
    /// </summary>
    [Fact]
    public async Task On_a_laptop_a_labs_narrow_trace_gives_each_command_its_width()
    {
        var page = await browser.NewPageAsync(1366, 768);
        await AppPages.GoAsync(page, "/course/rate-limiting");
        await page.Locator("[data-testid=demo-toggle]").First.ClickAsync();
        await page.Locator("[data-testid=embedded-lab] [data-testid=fire-burst]").ClickAsync();
        await Expect(page.Locator("[data-testid=trace-row] code.br-cmd", new() { HasTextString = "EVALSHA" }).First).ToBeVisibleAsync();

        var checkedRows = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-testid=trace-table]')]
              .filter(box => box.getBoundingClientRect().width < 600)
              .flatMap(box => [...box.querySelectorAll('[data-testid=trace-row]')].map(row => {
                const command = row.children[1].getBoundingClientRect().width, room = box.getBoundingClientRect().width;
                return command >= 0.8 * room ? 'ok' : `${row.innerText.split('\n')[1]}: the command ${Math.round(command)} px of ${Math.round(room)} px`;
              }))
            """);
        Assert.NotEmpty(checkedRows); // the lab's trace is the narrow one
        Assert.All(checkedRows, r => Assert.Equal("ok", r));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// On a phone each command of the trace has a row of its own, the reply below it: a table of five columns left the
    /// command about ten characters a line ("br:learne/r:{8c5c483d/…"). A key longer than that row breaks after a ':'.
    /// </summary>
    [Fact]
    public async Task On_a_phone_each_trace_command_takes_the_width_of_the_trace()
    {
        var page = await browser.NewPageAsync(390, 844);
        await AppPages.GoAsync(page, await DemoPathAsync("lists"));
        await page.GetByTestId("push-job").ClickAsync();
        await Expect(page.GetByTestId("trace-row")).Not.ToHaveCountAsync(0);

        var narrow = await page.GetByTestId("trace-table").EvaluateAsync<string[]>("""
            box => [...box.querySelectorAll('[data-testid=trace-row]')].flatMap(row => {
              const command = row.children[1].getBoundingClientRect().width;
              const reply = row.children[2].getBoundingClientRect().width;
              const room = box.getBoundingClientRect().width;
              return command >= 0.8 * room && reply >= 0.8 * room ? [] : [`${row.innerText.split('\n')[1]}: the command ${Math.round(command)} px, its reply ${Math.round(reply)} px of ${Math.round(room)} px`];
            })
            """);
        Assert.Empty(narrow);
        await Expect(page.GetByTestId("trace-row").First).ToContainTextAsync("LLEN");
        var size = await page.EvaluateAsync<PageSize>(PageWidth);
        Assert.True(size.Scroll <= size.Inner, $"{size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");

        // A key of many parts, longer than a line ("br:learner:{…}:strings:kv:cache:p42"), broke wherever the line ran out
        // ("{…}:stri/ngs:kv"): it breaks after a ':', never inside a word that had a ':' on its line. (The trace shortens
        // an argument past 80 characters, and the test app's prefix is longer than "br:", hence the short name.)
        await AppPages.GoAsync(page, await DemoPathAsync("strings"));
        await page.Locator("input[data-testid=key-name]").FillAsync("cache:p42");
        await page.Locator("input[data-testid=key-value]").FillAsync("x");
        await page.Locator("[data-testid=set]").ClickAsync();
        await Expect(page.Locator("[data-testid=trace-row] code.br-cmd").First).ToContainTextAsync(":strings:kv:cache:p42 ");
        // Phones of a few widths, so that no single width lets a break that falls anywhere land on a ':' by chance.
        var bad = new List<string>();
        var joints = new List<string>();
        foreach (var width in (int[])[360, 375, 390, 412])
        {
            await page.SetViewportSizeAsync(width, 844);
            var breaks = await page.GetByTestId("trace-table").EvaluateAsync<LineBreaks>(KeyLineBreaks);
            bad.AddRange(breaks.Bad.Select(b => $"{width} px: {b}"));
            joints.AddRange(breaks.Joints);
        }

        Assert.True(bad.Count == 0, string.Join("\n", bad));
        Assert.Contains(joints, j => j.Contains(":|", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Where the commands and replies in box break inside a word: Joints, a break just after a separator the panel offers
    /// (':', '/', '|', ',', '_'), shown as "…before|after…"; Bad, a break elsewhere in a word although that word had a
    /// separator earlier on the same line, where the browser could have broken instead.
    /// </summary>
    private const string KeyLineBreaks = """
        box => {
          const separators = ':/|,_', joints = [], bad = [];
          for (const code of box.querySelectorAll('[data-testid=trace-row] code')) {
            const text = code.textContent, tops = [];
            const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              for (let i = 0; i < n.data.length; i++) {
                const r = document.createRange();
                r.setStart(n, i);
                r.setEnd(n, i + 1);
                const drawn = [...r.getClientRects()].find(x => x.width > 0);
                tops.push(drawn ? Math.round(drawn.top) : null);
              }
            }
            let line = 0, top = null;
            for (let i = 0; i < text.length; i++) {
              if (tops[i] === null) continue;
              if (top !== null && tops[i] > top) {
                const around = `${text.slice(Math.max(0, i - 12), i)}|${text.slice(i, i + 12)}`;
                if (/\s/.test(text[i - 1])) {
                  // between words: fine
                } else if (separators.includes(text[i - 1])) {
                  joints.push(around);
                } else {
                  const word = text.slice(line, i - 1).split(/\s/).pop();
                  if ([...word].some(ch => separators.includes(ch))) bad.push(`"${around}" breaks inside a word after a separator on its line`);
                }
                line = i;
              }
              top = tops[i];
            }
          }
          return { joints, bad };
        }
        """;

    /// <summary>Presenter mode at <paramref name="zoom"/> % for the pages <paramref name="page"/> opens next (0: off).</summary>
    private async Task PresentAsync(IPage page, int zoom)
    {
        if (zoom > 0)
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "br-presenter", Value = zoom.ToString(System.Globalization.CultureInfo.InvariantCulture), Url = browser.App.BaseAddress.ToString() }]);
        }
    }

    private static async Task AssertButtonsWholeWithinTheScreenAsync(IPage page)
    {
        Assert.Empty(await page.EvaluateAsync<string[]>(BadButtons));
        var size = await page.EvaluateAsync<PageSize>(PageWidth);
        Assert.True(size.Scroll <= size.Inner, $"{size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
    }

    private static async Task<IReadOnlyList<string>> AllPathsAsync(IPage page)
    {
        var paths = await AppPages.AllAsync(page);
        Assert.Contains("/metrics", paths);
        return paths;
    }

    /// <summary>The demo's page, as the menu links it (wherever demos are routed).</summary>
    private async Task<string> DemoPathAsync(string slug)
    {
        var page = await browser.OpenAsync("/");
        var path = (await AppPages.AllAsync(page)).Single(p => p.EndsWith("/" + slug, StringComparison.Ordinal));
        await page.Context.CloseAsync();
        return path;
    }

    /// <summary>The long word is shown back (in the trace's command and C#), and the page is still no wider than the screen.</summary>
    private static async Task AssertEchoedWithinTheScreenAsync(IPage page)
    {
        await Expect(page.Locator("[data-testid=command-trace]")).ToContainTextAsync(LongWord[..40]);
        var size = await page.EvaluateAsync<PageSize>(PageWidth);
        Assert.True(size.Scroll <= size.Inner, $"{size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
    }

    /// <summary>The element that sticks out furthest to the right, to name the culprit in a failure.</summary>
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => {
            let worst = null, right = 0;
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect().right;
                if (r > right) { right = r; worst = e; }
            }
            return worst ? `${worst.tagName.toLowerCase()}.${[...worst.classList].join('.')} (${Math.round(right)} px): ${(worst.textContent ?? '').slice(0, 60)}` : '';
        }
        """);

    private sealed class LineBreaks
    {
        public string[] Joints { get; set; } = [];

        public string[] Bad { get; set; } = [];
    }

    private sealed class TraceCommandWidth
    {
        public double Cell { get; set; }

        public double Table { get; set; }

        public double Code { get; set; }

        public double Chars32 { get; set; }

        public double Widest { get; set; }
    }

    private sealed class PageSize
    {
        public int Scroll { get; set; }

        public int Inner { get; set; }
    }
}
