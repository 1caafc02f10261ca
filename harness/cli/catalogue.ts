// The catalogue and the user's selection of it, as every command needs them.
import { readCatalogue, type Catalogue } from '../catalogue/load';
import { describeSelection, selectClauses, type SelectionFlags } from '../catalogue/select';
import type { Clause } from '../catalogue/types';
import { UsageError } from '../../cmrp/errors';
import type { CliDeps } from './deps';

export function loadCatalogueFor(deps: CliDeps): Catalogue {
  return readCatalogue(deps.catalogueDir);
}

/** The selected clauses; a selection that matches nothing is a usage error (exit 2). */
export function requireSelection(catalogue: Catalogue, flags: SelectionFlags): Clause[] {
  const selection = selectClauses(catalogue.clauses, flags);
  if (selection.length === 0) throw new UsageError(`the selection matches no clause (${describeSelection(flags)})`);
  return selection;
}
