"""JSON exports of deployments: runtimes' and pipelines' histories read into deployments.

One reader a tool (README, ``dora-tui import``), each yielding
:class:`collectors.records.Deployment` and, per item it could not take, why:

- :mod:`~collectors.deploys.kubernetes`: ``kubectl get replicasets -o json``, one deployment a
  revision of a Deployment;
- :mod:`~collectors.deploys.argocd`: ``kubectl get applications -o json``, one a
  ``status.history`` entry;
- :mod:`~collectors.deploys.cloudrun`: ``gcloud run revisions list --format=json``, one a revision;
- :mod:`~collectors.deploys.github`: ``gh api repos/OWNER/REPO/deployments --paginate`` (one a
  production deployment) and ``gh release list --json ...`` (one a published release).

The way a file goes: :mod:`collectors.items.load` reads its bytes into items (whatever
encoding, pages or wrapper the tool wrote), :mod:`~collectors.deploys.read` tells the format
from the items (or takes the one named) and runs its reader over a
:class:`~collectors.deploys.items.Context`, which maps services, judges environments, reads
times and keeps what was left out; :mod:`~collectors.deploys.images` finds the commit an
image tag names. :mod:`~collectors.deploys.formats` holds only the format names, for checking
a configuration without loading the readers.

Importing this package loads none of its modules.
"""
