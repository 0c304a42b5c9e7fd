import { describe, expect, it } from 'vitest';
import { parcelStep } from './parcel-tracking.ts';

describe('parcel tracking', () => {
  it('moves the parcel along and tells the request when it arrives or comes back', () => {
    expect(parcelStep('in_transit', 'out_for_delivery')).toEqual({ shipment: 'out_for_delivery', request: null });
    expect(parcelStep('out_for_delivery', 'failed_attempt')).toEqual({ shipment: 'failed_attempt', request: null });
    expect(parcelStep('failed_attempt', 'out_for_delivery')).toEqual({ shipment: 'out_for_delivery', request: null });
    expect(parcelStep('out_for_delivery', 'delivered')).toEqual({ shipment: 'delivered', request: 'deliver' });
    expect(parcelStep('failed_attempt', 'returned')).toEqual({ shipment: 'returned', request: 'delivery_failed' });
    expect(parcelStep('created', 'delivered')).toEqual({ shipment: 'delivered', request: 'deliver' });
  });

  it('never moves a parcel back, nor after it was delivered or returned', () => {
    expect(parcelStep('out_for_delivery', 'in_transit')).toEqual({ shipment: null, request: null });
    expect(parcelStep('delivered', 'returned')).toEqual({ shipment: null, request: null });
    expect(parcelStep('returned', 'delivered')).toEqual({ shipment: null, request: null });
    expect(parcelStep('delivered', 'delivered')).toEqual({ shipment: null, request: null });
  });
});
