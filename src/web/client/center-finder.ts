/**
 * "Use my location" on the center finder: shown only where the browser can tell where it is,
 * it fills the form with the position and sends it; the list comes back sorted by distance.
 * Without JavaScript the city and street search does the same job.
 */
const form = document.querySelector<HTMLFormElement>('form[data-locate]');
if (form && 'geolocation' in navigator) {
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        (form.elements.namedItem('lat') as HTMLInputElement).value = coords.latitude.toFixed(4);
        (form.elements.namedItem('lon') as HTMLInputElement).value = coords.longitude.toFixed(4);
        form.submit();
      },
      () => {
        form.hidden = true;
      },
      { timeout: 10_000, maximumAge: 300_000 },
    );
  });
}
