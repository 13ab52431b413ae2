"""The JSON contracts of chiso, each described once as a pydantic model.

A contract is the shape of a JSON document that leaves chiso: ``chiso scores --format
json``, ``chiso explain --format json``, a published snapshot's unit row, the site's
error answer.  Each is one model here, and everything else comes from it:

* the library's ``to_json`` methods build the model and dump it (:meth:`Contract.dump`),
  so the CLI's JSON has the model's keys, order and types;
* the site's JSON twins build or extend the same models (``chiso_web``);
* the published JSON Schemas (the ``schemas/`` folder, ``make schema``, and the site's
  ``/schemas/<name>.json``) and the OpenAPI components are :func:`json_schema` of a model.

Where the package sits: it imports pydantic and nothing of chiso, and it is the lowest
layer but ``errors`` (``.importlinter``).  The engine's results import it to build their
JSON, so the model is the only place a key, its order or its type is written; the
alternative (results build plain dictionaries and the edges validate them) would keep a
second description of every key in the engine.  Values are computed by the engine
(exact numbers rounded as before by ``chiso.engine.results.exact``): a model describes
and checks a shape, it never computes.
"""

from __future__ import annotations

from chiso.contracts.base import Contract, json_schema

__all__ = ["Contract", "json_schema"]
