// Saving a file the page made (an export, a report, kept changes) through the browser's download.

/** Offers `blob` as a download named `name`; the object URL lives a minute, long enough to start. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
