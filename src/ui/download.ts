// Saving a file from a view: a temporary object URL clicked through a hidden link inside the view's
// shadow root (so the click is the component's own), revoked once the browser has taken the file.

/** Offers `blob` as a download named `filename`. */
export function downloadBlob(root: Node, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  root.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
