// The camera: opens a stream (or says there is none), and grabs a frame as base64 JPEG for the server.
// Loaded only by the camera screens (dynamic import), never on first load.

export type Facing = 'user' | 'environment';

/** A stream, or undefined when this browser or page has no camera to give (no API, denied, none present). */
export async function openCamera(facing: Facing): Promise<MediaStream | undefined> {
  if (!navigator.mediaDevices?.getUserMedia) return undefined;
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: facing, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch {
    return undefined;
  }
}

export function stopCamera(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Resolves once the video shows frames (its size is known). */
export function whenPlaying(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= 2 && video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      video.removeEventListener('loadeddata', done);
      resolve();
    };
    video.addEventListener('loadeddata', done);
  });
}

/** The current frame as base64 JPEG (no data: prefix), scaled down to at most `maxWidth` pixels wide. */
export async function grabJpeg(
  video: HTMLVideoElement,
  options: { maxWidth: number; quality: number },
): Promise<string> {
  const scale = Math.min(1, options.maxWidth / (video.videoWidth || options.maxWidth));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round((video.videoWidth || 640) * scale);
  canvas.height = Math.round((video.videoHeight || 480) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new TypeError('no 2d canvas');
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', options.quality),
  );
  if (!blob) throw new TypeError('the frame could not be encoded');
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
