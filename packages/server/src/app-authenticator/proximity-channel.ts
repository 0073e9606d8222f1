// Proof that the new phone is next to the phone that showed the transfer QR (journey B). A port: the web app
// uses a reverse QR (the new phone shows its ephemeral key's thumbprint, the old phone scans it and signs it
// with its device key); a native build can use Bluetooth LE instead (docs/ble-proximity.md).
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DevicePublicJwk } from './app-instance-repository.ts';
import { SIGNED, verifyDeviceSignature } from './device-key.ts';

export interface ProximityTransfer {
  readonly transferId: string;
  /** RFC 7638 thumbprint of the ephemeral key the new phone registered when it scanned the QR. */
  readonly ephemeralThumbprint: string;
  /** The showing instance's device key, or undefined when a helper's phone shows an enrollment's QR. */
  readonly sourceKey: DevicePublicJwk | undefined;
}

export interface ProximityChannel {
  readonly kind: string;
  /** What the new phone presents for the old phone to pick up (the reverse QR's text, a BLE advertisement). */
  presentation(transfer: ProximityTransfer): string;
  /** Whether the old phone's evidence proves it picked up exactly that presentation. Never throws. */
  verify(transfer: ProximityTransfer, evidence: unknown): Promise<boolean>;
}

const evidenceSchema = z.object({
  thumbprint: z.string().max(64),
  signature: z.string().max(200).optional(),
});

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The web app's channel: a reverse QR `tillid:proximity:v1:<transfer>:<thumbprint>`, signed by the old phone. */
export function reverseQrProximity(): ProximityChannel {
  return {
    kind: 'web-reverse-qr',
    presentation: (t) => `tillid:proximity:v1:${t.transferId}:${t.ephemeralThumbprint}`,
    async verify(t, evidence) {
      const e = evidenceSchema.safeParse(evidence);
      if (!e.success || !sameText(e.data.thumbprint, t.ephemeralThumbprint)) return false;
      // An instance signs what it scanned; a helper's enrollment phone has no device key and is trusted through
      // the control token that only it holds (checked by the route before this).
      if (t.sourceKey === undefined) return true;
      return (
        e.data.signature !== undefined &&
        (await verifyDeviceSignature(
          t.sourceKey,
          SIGNED.proximity(t.transferId, t.ephemeralThumbprint),
          e.data.signature,
        ))
      );
    },
  };
}
