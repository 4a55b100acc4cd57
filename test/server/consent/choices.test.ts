import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../policy/load.ts';
import { resolveChoices } from '../../../server/consent/choices.ts';

const { policy } = loadPolicy();
const all = ['necessary', 'analytics', 'external_analytics'];

describe('resolveChoices', () => {
  it('returns every category as accepted or rejected, in policy order', () => {
    expect(resolveChoices(policy, 'custom', ['external_analytics', 'necessary'], [])).toEqual({
      accepted: ['necessary', 'external_analytics'],
      rejected: ['analytics'],
    });
    expect(resolveChoices(policy, 'accept_all', all, [])).toEqual({ accepted: all, rejected: [] });
    for (const action of ['reject_all', 'withdraw', 'gpc'] as const) {
      expect(resolveChoices(policy, action, [], ['analytics'])).toEqual({ accepted: ['necessary'], rejected: ['analytics', 'external_analytics'] });
    }
  });

  it('names what is wrong', () => {
    expect(resolveChoices(policy, 'custom', ['ads'], [])).toMatchObject({ error: 'unknown_category' });
    expect(resolveChoices(policy, 'custom', [], ['necessary'])).toMatchObject({ error: 'required_category' });
    expect(resolveChoices(policy, 'custom', ['analytics'], ['analytics'])).toMatchObject({ error: 'conflicting_choice' });
    expect(resolveChoices(policy, 'accept_all', ['necessary', 'analytics'], [])).toMatchObject({ error: 'action_mismatch' });
    expect(resolveChoices(policy, 'reject_all', ['analytics'], [])).toMatchObject({ error: 'action_mismatch' });
  });
});
