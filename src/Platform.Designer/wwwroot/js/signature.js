// A signature pad on a canvas: pointer events where the browser has them (WeChat's in-app browser on current
// phones does), touch + mouse events otherwise; the drawing is kept on a white background and exported as PNG.
const pads = new WeakMap();

function setup(canvas, pad) {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const rect = canvas.getBoundingClientRect();
    const width = Math.max(Math.round(rect.width * ratio), 1);
    const height = Math.max(Math.round(rect.height * ratio), 1);
    if (canvas.width === width && canvas.height === height) {
        return;
    }

    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 2.6;
    ctx.strokeStyle = '#111827';
    blank(canvas);
    pad.ink = false;
}

function blank(canvas) {
    const ctx = canvas.getContext('2d');
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
}

function at(canvas, x, y) {
    const rect = canvas.getBoundingClientRect();
    return { x: x - rect.left, y: y - rect.top };
}

function begin(canvas, pad, p) {
    pad.drawing = true;
    pad.last = p;
    const ctx = canvas.getContext('2d');
    ctx.beginPath();
    ctx.arc(p.x, p.y, 1.3, 0, Math.PI * 2);
    ctx.fillStyle = '#111827';
    ctx.fill();
}

function move(canvas, pad, p) {
    if (!pad.drawing) {
        return;
    }

    const ctx = canvas.getContext('2d');
    const mid = { x: (pad.last.x + p.x) / 2, y: (pad.last.y + p.y) / 2 };
    ctx.beginPath();
    ctx.moveTo(pad.lastMid ? pad.lastMid.x : pad.last.x, pad.lastMid ? pad.lastMid.y : pad.last.y);
    ctx.quadraticCurveTo(pad.last.x, pad.last.y, mid.x, mid.y);
    ctx.stroke();
    pad.last = p;
    pad.lastMid = mid;
    if (!pad.ink) {
        pad.ink = true;
        pad.dotnet.invokeMethodAsync('OnInk', true);
    }
}

function end(pad) {
    pad.drawing = false;
    pad.last = null;
    pad.lastMid = null;
}

export function attach(canvas, dotnet) {
    const pad = { dotnet, ink: false, drawing: false, last: null, lastMid: null, off: [] };
    pads.set(canvas, pad);
    canvas.style.touchAction = 'none';
    setup(canvas, pad);
    const on = (target, name, handler, options) => {
        target.addEventListener(name, handler, options);
        pad.off.push(() => target.removeEventListener(name, handler, options));
    };

    if (window.PointerEvent) {
        on(canvas, 'pointerdown', e => {
            e.preventDefault();
            canvas.setPointerCapture?.(e.pointerId);
            begin(canvas, pad, at(canvas, e.clientX, e.clientY));
        });
        on(canvas, 'pointermove', e => move(canvas, pad, at(canvas, e.clientX, e.clientY)));
        on(canvas, 'pointerup', () => end(pad));
        on(canvas, 'pointercancel', () => end(pad));
    } else {
        on(canvas, 'touchstart', e => {
            e.preventDefault();
            const t = e.touches[0];
            begin(canvas, pad, at(canvas, t.clientX, t.clientY));
        }, { passive: false });
        on(canvas, 'touchmove', e => {
            e.preventDefault();
            const t = e.touches[0];
            move(canvas, pad, at(canvas, t.clientX, t.clientY));
        }, { passive: false });
        on(canvas, 'touchend', () => end(pad));
        on(canvas, 'mousedown', e => begin(canvas, pad, at(canvas, e.clientX, e.clientY)));
        on(canvas, 'mousemove', e => move(canvas, pad, at(canvas, e.clientX, e.clientY)));
        on(window, 'mouseup', () => end(pad));
    }

    // Turning the phone changes the pad's size; a new size starts a new signature (nothing half-scaled is kept).
    on(window, 'resize', () => {
        const hadInk = pad.ink;
        setup(canvas, pad);
        if (hadInk && !pad.ink) {
            pad.dotnet.invokeMethodAsync('OnInk', false);
        }
    });
}

export function clear(canvas) {
    const pad = pads.get(canvas);
    if (!pad) {
        return;
    }

    blank(canvas);
    end(pad);
    pad.ink = false;
}

export function hasInk(canvas) {
    return pads.get(canvas)?.ink === true;
}

export function png(canvas) {
    return new Promise((resolve, reject) => canvas.toBlob(b => (b ? resolve(b) : reject(new Error('no image'))), 'image/png'));
}

export function detach(canvas) {
    const pad = pads.get(canvas);
    if (pad) {
        pad.off.forEach(off => off());
        pads.delete(canvas);
    }
}
