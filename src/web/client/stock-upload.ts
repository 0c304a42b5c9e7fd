/**
 * Upload progress for the stock file: the form is sent by XMLHttpRequest so the bar can follow
 * the bytes, and the answer page replaces the current one. Without JavaScript the form posts as
 * usual and the answer page is the same.
 */
const form = document.querySelector<HTMLFormElement>('form[data-upload-progress]');
const bar = form?.querySelector<HTMLProgressElement>('[data-progress]');
const text = form?.querySelector<HTMLElement>('[data-progress-text]');
if (form && bar && text) {
  const say = (key: string, percent = 0) => {
    text.textContent = (form.dataset[key] ?? '').replace('{percent}', String(percent));
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open('POST', form.action);
    bar.hidden = false;
    request.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      bar.textContent = `${percent}%`;
      say(percent === 100 ? 'processing' : 'uploading', percent);
    });
    request.addEventListener('load', () => {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener('error', () => say('failed'));
    request.send(new FormData(form));
  });
}
