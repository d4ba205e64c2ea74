import { describe, expect, it } from 'vitest';
import {
  appliesTo,
  askerOf,
  fallbackTarget,
  humanOf,
  isHuman,
  resolveEscalation,
} from '../../src/escalation/targets.js';
import { ruleSetOf } from '../../src/org/escalation-path.js';
import { bundledOrg } from './orgs.js';

const esa = await bundledOrg('esa');
const heir = await bundledOrg('heir');
const domain1 = askerOf(esa, 'domain-1');
const esaRules = ruleSetOf(esa, domain1);

describe('isHuman', () => {
  it('knows a person from an agent', () => {
    expect(isHuman('human')).toBe(true);
    expect(isHuman('human:oncall')).toBe(true);
    expect(isHuman('humane-agent')).toBe(false);
    expect(isHuman('ceo')).toBe(false);
  });
});

describe('askerOf', () => {
  it('finds an agent of the org', () => {
    expect(askerOf(esa, 'domain-1')).toBe(esa.agents.find((agent) => agent.id === 'domain-1'));
  });

  it('stands in for someone outside the org with no manager, no peers and the default rule set', () => {
    const outsider = askerOf(esa, 'user');
    expect(outsider).toMatchObject({ id: 'user', reports_to: null, peers: [] });
    expect(ruleSetOf(esa, outsider)?.name).toBe('esa');
  });
});

describe('humanOf', () => {
  it('names the person a rule set names, plain human first', () => {
    expect(humanOf(esaRules)).toBe('human');
    expect(humanOf({ name: 'x', waits: [{ id: 'a', after: '1h', to: 'human:oncall' }] })).toBe(
      'human:oncall',
    );
    expect(humanOf({ name: 'x' })).toBeUndefined();
    expect(humanOf(undefined)).toBeUndefined();
  });
});

describe('appliesTo', () => {
  it('matches a listed severity or any listed tag', () => {
    const rule = { severity: ['critical' as const], tags: ['data-loss'] };
    expect(appliesTo(rule, { severity: 'critical', tags: [] })).toBe(true);
    expect(appliesTo(rule, { severity: 'normal', tags: ['x', 'data-loss'] })).toBe(true);
    expect(appliesTo(rule, { severity: 'high', tags: ['x'] })).toBe(false);
    expect(appliesTo({ tags: ['a'] }, { severity: 'critical', tags: [] })).toBe(false);
  });
});

describe('resolveEscalation', () => {
  const none = new Set<string>();

  it('resolves manager, next, ceo, role and ids as the org says', () => {
    expect(resolveEscalation(esa, domain1, esaRules, 'manager', 'domain-2', none)).toEqual({
      to: 'chief-1',
    });
    expect(resolveEscalation(esa, domain1, esaRules, 'next', 'domain-2', none).to).toBe('ceo');
    expect(resolveEscalation(esa, domain1, esaRules, 'ceo', undefined, none).to).toBe('ceo');
    expect(resolveEscalation(esa, domain1, esaRules, 'role:chief', undefined, none).to).toBe(
      'chief-1',
    );
    expect(resolveEscalation(esa, domain1, esaRules, 'domain-9', undefined, none).to).toBe(
      'domain-9',
    );
    expect(resolveEscalation(esa, domain1, esaRules, 'human:pat', undefined, none).to).toBe(
      'human:pat',
    );
  });

  it('sends a target that is the asker to the person the rule set names', () => {
    const chief = askerOf(esa, 'chief-1');
    expect(resolveEscalation(esa, chief, esaRules, 'next', 'domain-1', none)).toEqual({
      to: 'human',
      note: "'next' is chief-1, the asker itself; it goes to human, the person the rule set names",
    });
  });

  it('ends the chain when nobody is left and the rule set names no person', () => {
    const master = askerOf(heir, 'master-orchestrator');
    const noHuman = { name: 'x' };
    expect(resolveEscalation(heir, master, noHuman, 'manager', undefined, none)).toEqual({
      note: "'manager' resolves to nobody (master-orchestrator has no manager), and the rule set names no human: the chain ends here",
    });
    expect(resolveEscalation(heir, master, noHuman, 'role:chief', undefined, none).note).toContain(
      '(no chief above master-orchestrator)',
    );
  });

  it('ends the chain when the person was asked already', () => {
    expect(fallbackTarget(esaRules, new Set(['human']), 'why')).toEqual({
      note: 'why, and human has been asked already: the chain ends here',
    });
  });
});
