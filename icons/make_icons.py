"""Draws the Iris app icon and writes every size Tauri's bundlers need.

Run from this folder: `python3 make_icons.py` (needs Pillow). The outputs are committed; this
script is how they were made, so the icon can be changed and regenerated.
"""
from PIL import Image, ImageDraw

NAVY = (11, 61, 110, 255)
TEAL = (0, 150, 160, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int) -> Image.Image:
    # Supersample 4x for smooth edges, then downscale.
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    m = s * 0.04
    d.rounded_rectangle([m, m, s - m, s - m], radius=s * 0.2, fill=NAVY)
    c = s / 2
    # The eye's outline: two arcs meeting at the corners.
    w, h = s * 0.36, s * 0.22
    lw = max(4, int(s * 0.045))
    d.arc([c - w * 1.25, c - h * 2.4, c + w * 1.25, c + h * 1.2], 16, 164, fill=WHITE, width=lw)
    d.arc([c - w * 1.25, c - h * 1.2, c + w * 1.25, c + h * 2.4], 196, 344, fill=WHITE, width=lw)
    # The iris and pupil.
    r = s * 0.15
    d.ellipse([c - r, c - r, c + r, c + r], fill=TEAL, outline=WHITE, width=lw)
    p = s * 0.06
    d.ellipse([c - p, c - p, c + p, c + p], fill=NAVY)
    g = s * 0.025
    d.ellipse([c + p * 0.6, c - p * 1.6, c + p * 0.6 + 2 * g, c - p * 1.6 + 2 * g], fill=WHITE)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    for name, size in [("32x32.png", 32), ("64x64.png", 64), ("128x128.png", 128),
                       ("128x128@2x.png", 256), ("icon.png", 512)]:
        draw(size).save(name)
    big = draw(1024)
    big.save("icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (256, 256)])
    big.save("icon.icns")


if __name__ == "__main__":
    main()
