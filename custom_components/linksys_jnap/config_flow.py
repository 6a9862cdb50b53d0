"""Config flow for the Linksys Smart Wi-Fi (JNAP) integration."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.service_info.ssdp import (
    ATTR_UPNP_PRESENTATION_URL,
    SsdpServiceInfo,
)
import probatio
from yarl import URL

from .connection import create_client
from .const import (
    CONF_CONSIDER_HOME,
    DEFAULT_CONSIDER_HOME,
    DEFAULT_HOST,
    DEFAULT_SSL,
    DEFAULT_VERIFY_SSL,
    DOMAIN,
    MAX_CONSIDER_HOME,
)
from .devices import router_title
from .jnap import (
    DeviceInfo as RouterInfo,
    JNAPAccountLockedError,
    JNAPAuthenticationError,
    JNAPConnectionError,
    JNAPError,
    JNAPPasswordThrottledError,
    JNAPProtocolError,
    JNAPUnsupportedActionError,
)
from .jnap.actions import CHECK_ADMIN_PASSWORD

_LOGGER = logging.getLogger(__name__)

_PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_CONNECTION_FIELDS: dict[Any, Any] = {
    probatio.Required(CONF_HOST): str,
    probatio.Required(CONF_SSL, default=DEFAULT_SSL): bool,
    probatio.Required(CONF_VERIFY_SSL, default=DEFAULT_VERIFY_SSL): bool,
}
USER_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_HOST): str,
        probatio.Required(CONF_PASSWORD): _PASSWORD_SELECTOR,
        probatio.Required(CONF_SSL, default=DEFAULT_SSL): bool,
        probatio.Required(CONF_VERIFY_SSL, default=DEFAULT_VERIFY_SSL): bool,
    }
)
RECONFIGURE_SCHEMA = probatio.Schema(_CONNECTION_FIELDS)
PASSWORD_SCHEMA = probatio.Schema(
    {probatio.Required(CONF_PASSWORD): _PASSWORD_SELECTOR}
)


def normalize_host(value: str) -> str:
    """Accept ``host``, ``host:port`` or a pasted URL; keep ``host[:port]``."""
    value = value.strip()
    if "://" in value:
        url = URL(value)
        if url.host is None:
            return value
        host = f"[{url.host}]" if ":" in url.host else url.host
        return f"{host}:{url.port}" if url.explicit_port else host
    return value.rstrip("/")


def _split_port(host: str) -> tuple[str, str | None]:
    """``("host", "port")``; bare IPv6 addresses have no port."""
    if host.startswith("["):
        address, _, rest = host.partition("]")
        port = rest[1:] if rest.startswith(":") else None
        return f"{address}]", port
    if host.count(":") == 1:
        address, port = host.split(":")
        return address, port
    return host, None


def _merge_discovered_host(current: str, discovered: str) -> str:
    """Return the discovered address, keeping a port the user configured."""
    address, port = _split_port(discovered)
    if port is None and (current_port := _split_port(current)[1]) is not None:
        return f"{address}:{current_port}"
    return discovered


class LinksysJnapConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Linksys router."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._discovered_host: str | None = None
        self._discovered_router: RouterInfo | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> LinksysJnapOptionsFlow:
        """Options: consider_home."""
        return LinksysJnapOptionsFlow()

    async def _async_validate(
        self, data: Mapping[str, Any], placeholders: dict[str, str]
    ) -> tuple[RouterInfo | None, dict[str, str]]:
        """Read GetDeviceInfo, then check the password once; (router, errors).

        A throttled password check puts its wait in ``placeholders["seconds"]``.
        """
        try:
            client = create_client(self.hass, dict(data))
        except ValueError:
            return None, {CONF_HOST: "invalid_host"}
        try:
            router = await client.get_device_info()
            capabilities = client.capabilities
            if (
                not router.serial_number
                or capabilities is None
                or not capabilities.supports(CHECK_ADMIN_PASSWORD)
            ):
                return None, {"base": "unsupported_router"}
            await client.check_admin_password()
        except JNAPPasswordThrottledError as err:
            seconds = str(err.delay_seconds if err.delay_seconds is not None else "")
            placeholders["seconds"] = seconds
            return None, {"base": "password_throttled"}
        except JNAPAccountLockedError:
            return None, {"base": "account_locked"}
        except JNAPAuthenticationError:
            return None, {"base": "invalid_auth"}
        except JNAPConnectionError:
            return None, {"base": "cannot_connect"}
        except JNAPProtocolError, JNAPUnsupportedActionError:
            return None, {"base": "unsupported_router"}
        except JNAPError as err:
            _LOGGER.warning("Unexpected answer from the router: %s", err)
            return None, {"base": "unknown"}
        except Exception:  # pragma: no cover
            _LOGGER.exception("Unexpected error while checking the router")
            return None, {"base": "unknown"}
        return router, {}

    async def _async_add_router(
        self, router: RouterInfo, data: dict[str, Any]
    ) -> ConfigFlowResult:
        """Create the entry of a validated router, unless it is already configured."""
        await self.async_set_unique_id(router.serial_number)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=router_title(router), data=data)

    async def _async_update_router(
        self, entry: ConfigEntry, router: RouterInfo, updates: dict[str, Any]
    ) -> ConfigFlowResult:
        """Update and reload the entry, if the validated router is the same one."""
        await self.async_set_unique_id(router.serial_number)
        self._abort_if_unique_id_mismatch(reason="wrong_router")
        return self.async_update_reload_and_abort(entry, data_updates=updates)

    # --- user ----------------------------------------------------------------------------

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the address and the router's local admin password."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"seconds": ""}
        if user_input is not None:
            data = {**user_input, CONF_HOST: normalize_host(user_input[CONF_HOST])}
            router, errors = await self._async_validate(data, placeholders)
            if router is not None:
                return await self._async_add_router(router, data)
        suggested = {CONF_HOST: DEFAULT_HOST}
        if user_input is not None:
            suggested = {k: v for k, v in user_input.items() if k != CONF_PASSWORD}
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, suggested),
            errors=errors,
            description_placeholders=placeholders,
        )

    # --- discovery -------------------------------------------------------------------------

    async def async_step_ssdp(
        self, discovery_info: SsdpServiceInfo
    ) -> ConfigFlowResult:
        """Handle a Linksys Internet Gateway Device announcing itself."""
        presentation = discovery_info.upnp.get(ATTR_UPNP_PRESENTATION_URL)
        # The presentation URL is the web interface; the SSDP location is the UPnP port.
        url = URL(presentation) if presentation else None
        if url is None or not url.is_absolute():
            if not discovery_info.ssdp_location:
                return self.async_abort(reason="cannot_connect")
            url = URL(discovery_info.ssdp_location).with_port(None)
        return await self._async_discovered(normalize_host(str(url)))

    async def async_step_dhcp(
        self, discovery_info: DhcpServiceInfo
    ) -> ConfigFlowResult:
        """Handle a Linksys device asking for an address (a known router may have moved)."""
        mac = dr.format_mac(discovery_info.macaddress)
        dev_reg = dr.async_get(self.hass)
        for entry in self._async_current_entries(include_ignore=False):
            device = dev_reg.async_get_device_by_connection(
                (dr.CONNECTION_NETWORK_MAC, mac), entry.entry_id
            )
            if (
                device is not None
                and entry.unique_id is not None
                and (DOMAIN, entry.unique_id) in device.identifiers
            ):
                # A known router moved to a new address.
                await self.async_set_unique_id(entry.unique_id)
                self._abort_if_unique_id_configured(
                    updates={
                        CONF_HOST: _merge_discovered_host(
                            entry.data[CONF_HOST], discovery_info.ip
                        )
                    }
                )
        return await self._async_discovered(discovery_info.ip)

    async def _async_discovered(self, host: str) -> ConfigFlowResult:
        """Identify a discovered router (no password needed) and offer to add it."""
        self._async_abort_entries_match({CONF_HOST: host})
        probe = {CONF_HOST: host, CONF_PASSWORD: "", CONF_SSL: False}
        try:
            router = await create_client(self.hass, probe).get_device_info()
        except ValueError, JNAPError:
            return self.async_abort(reason="cannot_connect")
        if not router.serial_number:
            return self.async_abort(reason="unsupported_router")
        await self.async_set_unique_id(router.serial_number)
        if existing := self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, router.serial_number
        ):
            host = _merge_discovered_host(existing.data[CONF_HOST], host)
        self._abort_if_unique_id_configured(updates={CONF_HOST: host})
        self._discovered_host = host
        self._discovered_router = router
        self.context["title_placeholders"] = {"name": router_title(router)}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password of a discovered router."""
        assert self._discovered_host is not None
        assert self._discovered_router is not None
        errors: dict[str, str] = {}
        placeholders = {
            "name": router_title(self._discovered_router),
            "host": self._discovered_host,
            "seconds": "",
        }
        if user_input is not None:
            data = {
                CONF_HOST: self._discovered_host,
                CONF_PASSWORD: user_input[CONF_PASSWORD],
                CONF_SSL: DEFAULT_SSL,
                CONF_VERIFY_SSL: DEFAULT_VERIFY_SSL,
            }
            router, errors = await self._async_validate(data, placeholders)
            if router is not None:
                return await self._async_add_router(router, data)
        return self.async_show_form(
            step_id="discovery_confirm",
            data_schema=PASSWORD_SCHEMA,
            errors=errors,
            description_placeholders=placeholders,
        )

    # --- reauth ----------------------------------------------------------------------------

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start reauth: the router refused the stored password."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new password (nothing is sent to the router before that)."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        placeholders = {
            "name": entry.title,
            "host": entry.data[CONF_HOST],
            "seconds": "",
        }
        if user_input is not None:
            updates = {CONF_PASSWORD: user_input[CONF_PASSWORD]}
            router, errors = await self._async_validate(
                {**entry.data, **updates}, placeholders
            )
            if router is not None:
                return await self._async_update_router(entry, router, updates)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=PASSWORD_SCHEMA,
            errors=errors,
            description_placeholders=placeholders,
        )

    # --- reconfigure -----------------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or HTTPS settings of the same router."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        placeholders = {"name": entry.title, "seconds": ""}
        if user_input is not None:
            updates = {**user_input, CONF_HOST: normalize_host(user_input[CONF_HOST])}
            router, errors = await self._async_validate(
                {**entry.data, **updates}, placeholders
            )
            if router is not None:
                return await self._async_update_router(entry, router, updates)
        suggested = user_input or {
            key: entry.data.get(key) for key in (CONF_HOST, CONF_SSL, CONF_VERIFY_SSL)
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA, suggested
            ),
            errors=errors,
            description_placeholders=placeholders,
        )


class LinksysJnapOptionsFlow(OptionsFlowWithReload):
    """How long a client stays home after the router last saw it."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and save the options."""
        if user_input is not None:
            return self.async_create_entry(
                data={CONF_CONSIDER_HOME: int(user_input[CONF_CONSIDER_HOME])}
            )
        schema = probatio.Schema(
            {
                probatio.Required(
                    CONF_CONSIDER_HOME,
                    default=self.config_entry.options.get(
                        CONF_CONSIDER_HOME, DEFAULT_CONSIDER_HOME
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=0,
                        max=MAX_CONSIDER_HOME,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
                )
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
