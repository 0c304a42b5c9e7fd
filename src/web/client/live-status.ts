/**
 * Live status: the page asks now and then whether its request changed and shows the new state
 * at once. Without JavaScript the page is the same and shows news on reload. A page where the
 * subscriber has started typing is not reloaded under them; a notice offers the reload instead.
 */
const region = document.querySelector<HTMLElement>('[data-live-status]');
if (region) {
  const url = region.dataset.liveStatus as string;
  const version = region.dataset.version;
  let typing = false;
  document.addEventListener('input', () => {
    typing = true;
  });
  const check = async () => {
    try {
      const answer = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!answer.ok) return;
      const state = (await answer.json()) as { version: number };
      if (String(state.version) === version) return;
      if (!typing) {
        window.location.reload();
        return;
      }
      const notice = document.querySelector<HTMLElement>('[data-live-notice]');
      if (notice) notice.hidden = false;
    } catch {
      // Offline for a moment: the next check tries again.
    }
  };
  window.setInterval(check, Number(region.dataset.interval ?? 15000));
}
