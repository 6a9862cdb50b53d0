#!/usr/bin/env python3
"""Draw the integration's brand images (original artwork, no vendor logos).

    .venv/bin/python scripts/make_brand.py

writes custom_components/linksys_jnap/brand/{icon,icon@2x,logo,logo@2x,dark_logo,dark_logo@2x}.png.
The mark is a router with three Wi-Fi arcs on a blue tile; the wordmark says "JNAP".
Everything is drawn 4x larger and scaled down, which gives smooth edges without
depending on a vector renderer. Only Pillow's bundled font is used, so the output does
not depend on the fonts a machine has installed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = (
    Path(__file__).resolve().parent.parent
    / "custom_components"
    / "linksys_jnap"
    / "brand"
)
SUPERSAMPLE = 4

TILE_TOP = (38, 132, 214)  # gradient, top of the tile
TILE_BOTTOM = (17, 62, 128)  # gradient, bottom of the tile
WHITE = (255, 255, 255, 255)
LED = (92, 220, 150, 255)
INK_LIGHT_THEME = (28, 39, 51, 255)
INK_DARK_THEME = (235, 240, 245, 255)
SUBTLE_LIGHT_THEME = (84, 98, 112, 255)
SUBTLE_DARK_THEME = (170, 182, 194, 255)


def _tile(size: int) -> Image.Image:
    """Draw a rounded square with a vertical gradient, transparent outside the corners."""
    gradient = Image.new("RGBA", (size, size))
    pixels = ImageDraw.Draw(gradient)
    for y in range(size):
        t = y / max(size - 1, 1)
        colour = tuple(
            round(a + (b - a) * t) for a, b in zip(TILE_TOP, TILE_BOTTOM, strict=True)
        )
        pixels.line([(0, y), (size, y)], fill=(*colour, 255))
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, size - 1, size - 1), radius=size * 0.22, fill=255
    )
    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    tile.paste(gradient, (0, 0), mask)
    return tile


def _mark(size: int) -> Image.Image:
    """Draw the square mark at `size` pixels (drawn larger, then scaled down)."""
    big = size * SUPERSAMPLE
    image = _tile(big)
    draw = ImageDraw.Draw(image)
    u = big / 100  # drawing units: the tile is 100 x 100

    # Wi-Fi: three arcs and a dot, centred above the router body.
    cx, cy = 50 * u, 58 * u
    stroke = 6.5 * u
    for radius in (13, 23, 33):
        r = radius * u
        draw.arc(
            (cx - r, cy - r, cx + r, cy + r),
            start=225,
            end=315,
            fill=WHITE,
            width=round(stroke),
        )
    dot = 5 * u
    draw.ellipse((cx - dot, cy - dot - 2 * u, cx + dot, cy + dot - 2 * u), fill=WHITE)

    # Router body with three status LEDs.
    draw.rounded_rectangle((20 * u, 66 * u, 80 * u, 82 * u), radius=5 * u, fill=WHITE)
    for x in (32, 42, 52):
        led = 2.6 * u
        draw.ellipse((x * u - led, 74 * u - led, x * u + led, 74 * u + led), fill=LED)
    draw.rounded_rectangle(
        (60 * u, 72 * u, 72 * u, 76 * u), radius=2 * u, fill=(*TILE_BOTTOM, 255)
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=px)


def _logo(
    height: int, ink: tuple[int, int, int, int], subtle: tuple[int, int, int, int]
) -> Image.Image:
    """Draw the mark followed by the wordmark; `height` is the image height in pixels."""
    big_h = height * SUPERSAMPLE
    title_font = _font(round(big_h * 0.50))
    sub_font = _font(round(big_h * 0.20))
    title, subtitle = "JNAP", "Smart Wi-Fi routers"
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    bold = max(
        1, round(big_h * 0.012)
    )  # a stroke in the ink's colour thickens the regular face
    title_box = measure.textbbox((0, 0), title, font=title_font, stroke_width=bold)
    sub_box = measure.textbbox((0, 0), subtitle, font=sub_font)
    gap = round(big_h * 0.16)
    text_w = max(title_box[2] - title_box[0], sub_box[2] - sub_box[0])
    width = big_h + gap + round(text_w) + round(big_h * 0.02)

    image = Image.new("RGBA", (width, big_h), (0, 0, 0, 0))
    image.alpha_composite(
        _mark(height).resize((big_h, big_h), Image.Resampling.LANCZOS)
    )
    draw = ImageDraw.Draw(image)
    x = big_h + gap
    title_h = title_box[3] - title_box[1]
    sub_h = sub_box[3] - sub_box[1]
    spacing = round(big_h * 0.07)
    top = (big_h - (title_h + spacing + sub_h)) // 2
    draw.text(
        (x - title_box[0], top - title_box[1]),
        title,
        font=title_font,
        fill=ink,
        stroke_width=bold,
        stroke_fill=ink,
    )
    draw.text(
        (x - sub_box[0], top + title_h + spacing - sub_box[1]),
        subtitle,
        font=sub_font,
        fill=subtle,
    )
    return image.resize((round(width / SUPERSAMPLE), height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write every brand image."""
    OUT.mkdir(parents=True, exist_ok=True)
    images = {
        "icon.png": _mark(256),
        "icon@2x.png": _mark(512),
        "logo.png": _logo(128, INK_LIGHT_THEME, SUBTLE_LIGHT_THEME),
        "logo@2x.png": _logo(256, INK_LIGHT_THEME, SUBTLE_LIGHT_THEME),
        "dark_logo.png": _logo(128, INK_DARK_THEME, SUBTLE_DARK_THEME),
        "dark_logo@2x.png": _logo(256, INK_DARK_THEME, SUBTLE_DARK_THEME),
    }
    for name, image in images.items():
        image.save(OUT / name, optimize=True)
        print(f"{OUT / name}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
