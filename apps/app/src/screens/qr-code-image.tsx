// A QR code as an image (PNG data: URL), drawn by `qrcode` loaded on demand; the text alternative says
// what it is for, never the secret it holds.
import { useEffect, useState } from 'react';

export function QrCodeImage(props: { text: string; alt: string; testId: string; size?: number }) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const size = props.size ?? 260;
  useEffect(() => {
    let live = true;
    setUrl(undefined);
    void import('qrcode').then((QR) =>
      QR.toDataURL(props.text, { errorCorrectionLevel: 'M', margin: 4, width: size }).then((u) => {
        if (live) setUrl(u);
      }),
    );
    return () => {
      live = false;
    };
  }, [props.text, size]);
  return (
    <div className="qr-frame" style={{ width: size, height: size }}>
      {url ? <img src={url} alt={props.alt} width={size} height={size} data-testid={props.testId} /> : null}
    </div>
  );
}
