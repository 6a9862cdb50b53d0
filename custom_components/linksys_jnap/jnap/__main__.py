"""``python -m custom_components.linksys_jnap.jnap`` (or ``python -m linksys_jnap_client``)."""

from .cli import main

raise SystemExit(main())
